package io.mtlstream.app;

import io.mtlstream.bench.pipeline.PipelineWorkload;
import io.mtlstream.runtime.config.MtlKeys;
import java.util.HashMap;
import java.util.Map;
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

  @Option(names = "--threads", description = "PyTorch intra-op threads (default: cores - 1)")
  Integer threads;

  @Option(names = "--set", description = "extra KEY=VALUE learner settings (repeatable)")
  Map<String, String> extra = Map.of();

  /**
   * Fixes the PyTorch intra-op threads before the engine loads: {@code --threads} (which wins over
   * a {@code -D}, since it is the benchmark's own option), else one core left for the broker and
   * the Kafka clients in this process.
   */
  void applyThreads() {
    int cores = Runtime.getRuntime().availableProcessors();
    int n = threads != null ? threads : Math.max(1, cores - 1);
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
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
