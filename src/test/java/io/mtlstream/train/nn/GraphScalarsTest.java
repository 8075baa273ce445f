package io.mtlstream.train.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphScalarsTest {

  /**
   * The backward pass reads the scalar after garbage collection has freed every unreferenced direct
   * buffer and new ones filled with 1e30 took their memory. With {@code a.mul(0.5f)} this gradient
   * came out 1e30 (see {@link GraphScalars}); a libtorch-owned scalar keeps 0.5.
   */
  @Test
  void shouldKeepAScalarTheBackwardPassReadsThroughGarbageCollection() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {1, 2, 3});
      a.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = a.mul(GraphScalars.of(manager, 0.5f)).sum();
        List<ByteBuffer> reused = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
          collectGarbage();
          reused.addAll(directBuffersHolding(1e30f, 20_000));
        }
        collector.backward(y);
        assertThat(reused).hasSize(60_000);
      }
      assertThat(a.getGradient().toFloatArray()).containsExactly(0.5f, 0.5f, 0.5f);
    }
  }

  /** One full collection, observed through a cleared weak reference (polled with a deadline). */
  private static void collectGarbage() {
    WeakReference<Object> sentinel = new WeakReference<>(new Object());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (sentinel.get() != null) {
      assertThat(System.nanoTime() - deadline).as("a GC within 10 s").isNegative();
      System.gc();
    }
  }

  private static List<ByteBuffer> directBuffersHolding(float value, int count) {
    List<ByteBuffer> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(Float.BYTES).order(ByteOrder.nativeOrder());
      b.putFloat(0, value);
      out.add(b);
    }
    return out;
  }
}
