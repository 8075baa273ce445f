package io.mtlstream.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.mtlstream.train.Activation;
import io.mtlstream.train.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The shared-bottom network's parameters and forward pass.
 *
 * <p>All parameters live in one flat float32 leaf array (see {@link ParameterLayout}); each step
 * takes reshaped views of it, so autograd deposits every gradient into the single gradient buffer
 * of that leaf. The flat array is owned by the manager given at construction and closed with it.
 * Not thread-safe: one learner thread drives it.
 */
public final class SharedBottomNetwork {

  /** Trunk activations a step needs: input of the last shared layer, its pre-activation, output. */
  public record TrunkOutput(NDArray sharedInput, NDArray preActivation, NDArray representation) {}

  private final ModelSpec spec;
  private final ParameterLayout layout;
  private final NDArray flat;
  private final List<NDIndex[]> trunkIndex;
  private final List<List<NDIndex[]>> towerIndex;

  public SharedBottomNetwork(ModelSpec spec, NDManager owner, float[] parameters) {
    this.spec = spec;
    this.layout = new ParameterLayout(spec);
    if (parameters.length != layout.size()) {
      throw new IllegalArgumentException(
          "expected " + layout.size() + " parameters for " + spec + ", got " + parameters.length);
    }
    this.flat = owner.create(parameters);
    flat.setRequiresGradient(true);
    this.trunkIndex = indexes(layout.trunk());
    this.towerIndex = new ArrayList<>();
    for (int t = 0; t < spec.taskCount(); t++) {
      towerIndex.add(indexes(layout.tower(t)));
    }
  }

  /**
   * Deterministic initial parameters from a seed: weights and biases uniform in ±1/√fan_in (the
   * PyTorch {@code nn.Linear} default), drawn in Java so the result is the same on every device.
   */
  public static float[] initialParameters(ModelSpec spec, long seed) {
    ParameterLayout layout = new ParameterLayout(spec);
    float[] p = new float[layout.size()];
    SplittableRandom random = new SplittableRandom(seed);
    List<ParameterLayout.Dense> all = new ArrayList<>(layout.trunk());
    for (int t = 0; t < spec.taskCount(); t++) {
      all.addAll(layout.tower(t));
    }
    for (ParameterLayout.Dense d : all) {
      double bound = 1.0 / Math.sqrt(d.in());
      for (long i = d.weightOffset(); i < d.end(); i++) {
        p[(int) i] = (float) random.nextDouble(-bound, bound);
      }
    }
    return p;
  }

  public ModelSpec spec() {
    return spec;
  }

  public ParameterLayout layout() {
    return layout;
  }

  /** The flat parameter leaf (requires gradient). Owned by this network's manager. */
  public NDArray parameters() {
    return flat;
  }

  /**
   * Runs the trunk. New arrays attach to the flat array's current manager: callers temp-attach it
   * to a per-step manager first.
   *
   * @param probe null, or a zero leaf of the pre-activation's shape added to it so that a backward
   *     pass exposes the gradient at the last shared layer's pre-activation
   * @param constantSharedWeight whether the last shared layer's weight enters as a constant, so
   *     that autograd leaves its gradient at zero: for a caller that forms that gradient from
   *     per-task pieces it computes anyway
   */
  public TrunkOutput forwardTrunk(NDArray x, NDArray probe, boolean constantSharedWeight) {
    NDArray a = x;
    int last = trunkIndex.size() - 1;
    for (int l = 0; l < last; l++) {
      a = activate(dense(trunkIndex.get(l), layout.trunk().get(l), a));
    }
    ParameterLayout.Dense d = layout.trunk().get(last);
    NDArray w = weight(trunkIndex.get(last), d);
    NDArray pre =
        Linear.linear(a, constantSharedWeight ? w.stopGradient() : w, bias(trunkIndex.get(last)))
            .singletonOrThrow();
    if (probe != null) {
      pre = pre.add(probe);
    }
    return new TrunkOutput(a, pre, activate(pre));
  }

  /** The trunk with every parameter tracked and no probe: training without norms, evaluation. */
  public TrunkOutput forwardTrunk(NDArray x) {
    return forwardTrunk(x, null, false);
  }

  /** Runs task {@code task}'s tower on (rows of) the shared representation; returns raw outputs. */
  public NDArray forwardTower(int task, NDArray representation) {
    List<ParameterLayout.Dense> layers = layout.tower(task);
    NDArray a = representation;
    for (int l = 0; l < layers.size(); l++) {
      a = dense(towerIndex.get(task).get(l), layers.get(l), a);
      if (l < layers.size() - 1) {
        a = activate(a);
      }
    }
    return a;
  }

  private NDArray activate(NDArray a) {
    Activation act = spec.activation();
    return switch (act) {
      case RELU -> ai.djl.nn.Activation.relu(a);
      case TANH -> a.tanh();
      case SIGMOID -> ai.djl.nn.Activation.sigmoid(a);
      case IDENTITY -> a;
    };
  }

  private NDArray dense(NDIndex[] index, ParameterLayout.Dense d, NDArray input) {
    return Linear.linear(input, weight(index, d), bias(index)).singletonOrThrow();
  }

  private NDArray bias(NDIndex[] index) {
    return flat.get(index[1]);
  }

  private NDArray weight(NDIndex[] index, ParameterLayout.Dense d) {
    return flat.get(index[0]).reshape(new Shape(d.out(), d.in()));
  }

  private static List<NDIndex[]> indexes(List<ParameterLayout.Dense> layers) {
    var out = new ArrayList<NDIndex[]>();
    for (ParameterLayout.Dense d : layers) {
      out.add(
          new NDIndex[] {
            new NDIndex().addSliceDim(d.weightOffset(), d.biasOffset()),
            new NDIndex().addSliceDim(d.biasOffset(), d.end())
          });
    }
    return out;
  }
}
