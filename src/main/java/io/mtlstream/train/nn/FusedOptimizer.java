package io.mtlstream.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.mtlstream.train.OptimizerSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam or SGD over the flat parameter vector, using libtorch's fused update kernels: one native
 * call per contiguous range instead of a dozen element-wise ops per parameter tensor.
 *
 * <p>Each segment (trunk, each tower) keeps its own step count, so a tower whose task is absent
 * from a batch is not moved and its Adam bias correction does not advance (lazy Adam). Adjacent
 * segments with equal step counts are updated in one call. Adam follows DJL's formulation: step
 * size lr·√(1−β₂ᵗ)/(1−β₁ᵗ), ε added to √v. Global-norm clipping is applied through the kernels'
 * gradient rescale factor. The moment arrays are owned by the manager given at construction. Not
 * thread-safe.
 */
public final class FusedOptimizer {

  private final OptimizerSettings settings;
  private final ParameterLayout layout;
  private final NDArray first;
  private final NDArray second;
  private final long[] steps;

  public FusedOptimizer(
      OptimizerSettings settings,
      ParameterLayout layout,
      NDManager owner,
      float[] firstMoments,
      float[] secondMoments,
      long[] segmentSteps) {
    this.settings = settings;
    this.layout = layout;
    if (segmentSteps.length != layout.segmentCount()) {
      throw new IllegalArgumentException("one step count per segment expected");
    }
    this.first = owner.create(firstMoments);
    this.second = owner.create(secondMoments);
    this.steps = segmentSteps.clone();
  }

  /** A fresh optimizer with zero moments. */
  public static FusedOptimizer fresh(
      OptimizerSettings settings, ParameterLayout layout, NDManager owner) {
    float[] zeros = new float[layout.size()];
    return new FusedOptimizer(
        settings, layout, owner, zeros, zeros, new long[layout.segmentCount()]);
  }

  /**
   * Applies one update to the segments flagged in {@code active}, then zeroes the whole gradient.
   * Temp-attaches its state to {@code step} so the views it takes are freed with the step.
   */
  public void update(
      NDArray parameters, NDArray gradient, boolean[] active, float rescale, NDManager step) {
    first.tempAttach(step);
    second.tempAttach(step);
    for (long[] range : ranges(active)) {
      NDIndex index = new NDIndex().addSliceDim(range[0], range[1]);
      long t = range[2];
      PtNDArray w = (PtNDArray) parameters.get(index);
      PtNDArray g = (PtNDArray) gradient.get(index);
      if (settings.kind() == OptimizerSettings.Kind.ADAM) {
        double correction =
            settings.learningRate()
                * Math.sqrt(1 - Math.pow(settings.beta2(), t))
                / (1 - Math.pow(settings.beta1(), t));
        JniUtils.adamUpdate(
            w,
            g,
            (PtNDArray) first.get(index),
            (PtNDArray) second.get(index),
            (float) settings.learningRate(),
            (float) correction,
            0f,
            rescale,
            -1f,
            (float) settings.beta1(),
            (float) settings.beta2(),
            (float) settings.epsilon(),
            false);
      } else {
        JniUtils.sgdUpdate(
            w,
            g,
            settings.momentum() == 0 ? null : (PtNDArray) first.get(index),
            (float) settings.learningRate(),
            0f,
            rescale,
            -1f,
            (float) settings.momentum());
      }
    }
    JniUtils.zeroGrad((PtNDArray) parameters);
  }

  /** Drops the accumulated gradient without updating (a rejected step). */
  public static void discardGradient(NDArray parameters) {
    JniUtils.zeroGrad((PtNDArray) parameters);
  }

  public float[] firstMoments() {
    return first.toFloatArray();
  }

  public float[] secondMoments() {
    return second.toFloatArray();
  }

  public long[] segmentSteps() {
    return steps.clone();
  }

  /** Advances active segments' step counts and merges adjacent ones with equal counts. */
  private List<long[]> ranges(boolean[] active) {
    var out = new ArrayList<long[]>();
    for (int s = 0; s < steps.length; s++) {
      if (!active[s]) {
        continue;
      }
      steps[s]++;
      ParameterLayout.Segment seg = layout.segment(s);
      long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last[1] == seg.start() && last[2] == steps[s]) {
        last[1] = seg.end();
      } else {
        out.add(new long[] {seg.start(), seg.end(), steps[s]});
      }
    }
    return out;
  }
}
