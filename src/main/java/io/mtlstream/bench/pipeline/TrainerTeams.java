package io.mtlstream.bench.pipeline;

import ai.djl.engine.Engine;
import io.mtlstream.runtime.MallocTuning;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.Settings;
import io.mtlstream.train.LearnerSettings;
import io.mtlstream.train.MiniBatch;
import io.mtlstream.train.MultiTaskLearner;
import io.mtlstream.train.nn.NativeThread;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Why the learners of a JVM share one trainer thread (stream.SharedTrainer): two learners stepped
 * in turn, as two stream tasks' learners are (one gradient collector per JVM), on one shared thread
 * against one thread each, whose two OpenMP teams exceed the cores. Rounds alternate the two
 * layouts on fresh threads (a thread's team ends with it); prints ms per step per round and the
 * medians. {@code java -cp target/mtlstream.jar io.mtlstream.bench.pipeline.TrainerTeams [rounds]
 * [steps per learner] [intra-op threads] [trunk]}; defaults 3, 100, every core, 1024,1024,1024.
 */
public final class TrainerTeams {

  private TrainerTeams() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int threads =
        args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    String trunk = args.length > 3 ? args[3] : "1024,1024,1024";
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.offline", "true");
    MallocTuning.apply();
    Engine.getEngine("PyTorch");
    // main builds batches only; a team of its own would throttle the ones measured
    NativeThread.oneThreadHere();
    NativeThread.prepare();
    PipelineWorkload workload = PipelineWorkload.toy(1.0, 100.0);
    Map<String, String> s = new HashMap<>(workload.modelSettings());
    s.put("mtl.model.trunk", trunk);
    LearnerSettings settings = Settings.learner(MtlConfig.load(null, Map.of(), s));
    List<MiniBatch> pool = InProcessSteps.batches(settings.model(), workload, 100, 16);
    System.out.printf(
        Locale.ROOT,
        "trunk %s, %d intra-op threads, %d steps per learner%n",
        trunk,
        threads,
        steps);
    List<Double> shared = new ArrayList<>();
    List<Double> own = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      shared.add(msPerStep(settings, pool, steps, true));
      own.add(msPerStep(settings, pool, steps, false));
      System.out.printf(
          Locale.ROOT,
          "round %d: one shared thread %.2f ms/step, a thread each %.2f ms/step%n",
          r + 1,
          shared.get(r),
          own.get(r));
    }
    System.out.printf(
        Locale.ROOT,
        "median: shared %.2f, a thread each %.2f ms/step (x%.3f)%n",
        median(shared),
        median(own),
        median(own) / median(shared));
  }

  private static double msPerStep(
      LearnerSettings settings, List<MiniBatch> pool, int steps, boolean shared)
      throws InterruptedException, ExecutionException {
    ExecutorService a = Executors.newSingleThreadExecutor(r -> new Thread(r, "teams-a"));
    ExecutorService b =
        shared ? a : Executors.newSingleThreadExecutor(r -> new Thread(r, "teams-b"));
    try {
      MultiTaskLearner la = a.submit(() -> MultiTaskLearner.create(settings)).get();
      MultiTaskLearner lb = b.submit(() -> MultiTaskLearner.create(settings)).get();
      try {
        int warmup = Math.max(10, steps / 5);
        for (int i = 0; i < warmup; i++) {
          MiniBatch batch = pool.get(i % pool.size());
          a.submit(() -> la.step(batch)).get();
          b.submit(() -> lb.step(batch)).get();
        }
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
          MiniBatch batch = pool.get(i % pool.size());
          a.submit(() -> la.step(batch)).get();
          b.submit(() -> lb.step(batch)).get();
        }
        return (System.nanoTime() - start) / 1e6 / (2.0 * steps);
      } finally {
        a.submit(la::close).get();
        b.submit(lb::close).get();
      }
    } finally {
      a.shutdown();
      b.shutdown();
      a.awaitTermination(1, TimeUnit.MINUTES);
      b.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
