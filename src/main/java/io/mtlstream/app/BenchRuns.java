package io.mtlstream.app;

import io.mtlstream.bench.pipeline.PipelineWorkload;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.runtime.config.Settings;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.nn.ParameterLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * What the pipeline benchmark commands share, as a picocli mixin: the workload (model, scales,
 * batch, balancer), native threads and extra learner settings.
 */
final class BenchRuns {

  @Option(names = "--model", defaultValue = "toy", description = "toy or reference")
  String model;

  @Option(names = "--sigmas", split = ",", defaultValue = "1,100", description = "toy scales")
  double[] sigmas;

  @Option(names = "--batch", description = "events per step (toy 100, reference 256)")
  Integer batch;

  @Option(names = "--balancer", defaultValue = "gradnorm")
  String balancer;

  @Option(
      names = "--threads",
      description =
          "PyTorch intra-op threads (default: the learner's: cores - 1, every core for models of"
              + " 1M parameters or more)")
  Integer threads;

  @Option(names = "--set", description = "extra KEY=VALUE learner settings (repeatable)")
  Map<String, String> extra = Map.of();

  /**
   * Fixes the PyTorch intra-op threads before the engine loads: {@code --threads} (which wins over
   * a {@code -D}, since it is the benchmark's own option), else a {@code -D}, else the learner's
   * default for the workload's model ({@link NativeDefaults#learnerThreads(int, long)}), so that
   * the benchmark measures what {@code learn} would run.
   */
  void applyThreads() {
    if (threads != null) {
      System.setProperty(NativeDefaults.THREADS, Integer.toString(threads));
    } else {
      NativeDefaults.learnerThreadsDefault(modelSpec());
    }
  }

  /**
   * The workload as the runs' header names it, with the trunk and size the settings give its model
   * ({@code --set mtl.model.trunk} changes both, not the workload's name).
   */
  String describe(PipelineWorkload workload) {
    ModelSpec spec = modelSpec();
    return String.format(
        Locale.ROOT,
        "%s, trunk %s (%,d parameters)",
        workload,
        Arrays.stream(spec.trunkWidths())
            .mapToObj(Integer::toString)
            .collect(Collectors.joining("-")),
        new ParameterLayout(spec).size());
  }

  /** The model these settings train: the workload's, under {@code --set}. */
  private ModelSpec modelSpec() {
    PipelineWorkload workload = workload();
    Map<String, String> s = new HashMap<>(workload.modelSettings());
    s.putAll(settings(workload));
    return Settings.model(MtlConfig.load(null, Map.of(), s));
  }

  PipelineWorkload workload() {
    return model.equalsIgnoreCase("toy")
        ? PipelineWorkload.toy(sigmas)
        : new PipelineWorkload(model, new double[0], 0);
  }

  int batch(PipelineWorkload workload) {
    return batch != null ? batch : workload.defaultBatch();
  }

  /** Learner settings over the workload's model: batch, balancer, then {@code --set}. */
  Map<String, String> settings(PipelineWorkload workload) {
    Map<String, String> s = new HashMap<>();
    s.put(MtlKeys.BATCH_SIZE.key(), Integer.toString(batch(workload)));
    s.put(MtlKeys.BALANCER.key(), balancer);
    s.putAll(extra);
    return s;
  }
}
