package io.mtlstream.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mtlstream.experiment.ToyExperiment;
import io.mtlstream.experiment.ToySummary;
import io.mtlstream.train.balance.BalancerSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mtlstream experiment toy}: GradNorm's synthetic experiment, several balancers, seeds. */
@Command(
    name = "experiment",
    description = "Offline experiments.",
    subcommands = {ExperimentCommand.Toy.class})
final class ExperimentCommand implements Runnable {

  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }

  @Command(
      name = "toy",
      mixinStandardHelpOptions = true,
      description =
          "GradNorm paper Sec. 4: tasks σ_i·tanh((B+ε_i)x); prints final weights, w·σ and"
              + " the task-normalised test loss Σ L_i(t)/L_i(0), mean ± std over seeds.")
  static final class Toy implements Callable<Integer> {
    @Option(names = "--sigmas", split = ",", defaultValue = "1,100", description = "task scales")
    double[] sigmas;

    @Option(names = "--steps", defaultValue = "3000")
    int steps;

    @Option(names = "--seeds", defaultValue = "3", description = "seeds 0..N-1")
    int seeds;

    @Option(names = "--balancers", split = ",", defaultValue = "gradnorm,equal,uncertainty,dwa")
    List<String> balancers;

    @Option(names = "--alpha", defaultValue = "0.12")
    double alpha;

    @Option(
        names = "--reference",
        defaultValue = "baseline",
        description = "GradNorm reference loss: baseline, initial, ema, max")
    String reference;

    @Option(names = "--batch", defaultValue = "100")
    int batch;

    @Option(names = "--test-rows", defaultValue = "2000")
    int testRows;

    @Option(
        names = "--drift",
        split = ",",
        description = "scale changes STEP:TASK:SIGMA, e.g. 1500:1:1")
    List<String> drifts = new ArrayList<>();

    @Option(
        names = "--trace-every",
        defaultValue = "0",
        description = "also print seed 0's weights every N steps (0: off)")
    int traceEvery;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
      NativeDefaults.threads(true);
      BalancerSettings balancing =
          BalancerSettings.defaults().withAlpha(alpha).withReference(reference);
      ToyExperiment.Config config =
          ToyExperiment.Config.paper(sigmas, steps)
              .withBalancing(balancing)
              .withSize(steps, batch, testRows)
              .withDrifts(parseDrifts(drifts), traceEvery);
      List<ToySummary> summaries = new ArrayList<>();
      Map<String, List<double[]>> traces = new LinkedHashMap<>();
      for (String balancer : balancers) {
        List<ToyExperiment.Run> runs = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) {
          runs.add(ToyExperiment.run(config, balancer, seed));
        }
        summaries.add(ToySummary.of(balancer, config.sigmas(), runs));
        traces.put(balancer, runs.get(0).weightTrace());
        if (!json) {
          System.err.printf(Locale.ROOT, "%s done%n", balancer);
        }
      }
      if (json) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sigmas", sigmas);
        out.put("steps", steps);
        out.put("seeds", seeds);
        out.put("alpha", alpha);
        out.put("reference", reference);
        out.put("drifts", drifts);
        out.put("results", summaries.stream().map(ToySummary::toMap).toList());
        if (traceEvery > 0) {
          out.put("traceEvery", traceEvery);
          out.put("weightTraceSeed0", traces);
        }
        System.out.println(
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
      } else {
        System.out.print(ToyTable.render(sigmas, summaries));
        if (traceEvery > 0) {
          System.out.print(ToyTable.renderTraces(traceEvery, traces));
        }
      }
      return 0;
    }

    private static List<ToyExperiment.Drift> parseDrifts(List<String> specs) {
      List<ToyExperiment.Drift> out = new ArrayList<>();
      for (String s : specs) {
        String[] p = s.split(":");
        if (p.length != 3) {
          throw new IllegalArgumentException("--drift wants STEP:TASK:SIGMA, got '" + s + "'");
        }
        out.add(
            new ToyExperiment.Drift(
                Integer.parseInt(p[0]), Integer.parseInt(p[1]), Double.parseDouble(p[2])));
      }
      return out;
    }
  }
}
