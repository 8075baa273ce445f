package io.mtlstream.app;

import io.mtlstream.bench.pipeline.PipelineWorkload;

/** What the pipeline benchmark commands share: native threads and the workload option. */
final class BenchRuns {

  private BenchRuns() {}

  /**
   * Fixes the PyTorch intra-op threads before the engine loads: the given count (which wins over a
   * {@code -D}, since it is the benchmark's own option), else one core left for the broker and the
   * Kafka clients in this process.
   */
  static void threads(Integer count) {
    int cores = Runtime.getRuntime().availableProcessors();
    int n = count != null ? count : Math.max(1, cores - 1);
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
  }

  static PipelineWorkload workload(String model, double[] sigmas) {
    return model.equalsIgnoreCase("toy")
        ? PipelineWorkload.toy(sigmas)
        : new PipelineWorkload(model, new double[0], 0);
  }
}
