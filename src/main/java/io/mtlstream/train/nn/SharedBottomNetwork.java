package io.mtlstream.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
 * <p>All parameters live in one flat float32 leaf array (see {@link ParameterLayout}); each pass
 * ({@link #pass}) splits it into one view per weight and bias with a single split, so autograd
 * deposits every gradient into the single gradient buffer of that leaf. One split rather than a
 * slice per view, because the backward of each slice builds a zero gradient as large as the whole
 * vector and sums them all into the leaf, while the split's backward concatenates its pieces once.
 * The flat array is owned by the manager given at construction and closed with it. Not thread-safe:
 * one learner thread drives it.
 */
public final class SharedBottomNetwork {

  /** Trunk activations a step needs: input of the last shared layer, its pre-activation, output. */
  public record TrunkOutput(NDArray sharedInput, NDArray preActivation, NDArray representation) {}

  private final ModelSpec spec;
  private final ParameterLayout layout;
  private final NDArray flat;

  /** Where the flat vector is cut into weights and biases, in layout order (trunk, then towers). */
  private final long[] cuts;

  /** Index of each trunk layer's weight among the pieces; its bias follows. */
  private final int[] trunkPiece;

  /** Per task, the index of each tower layer's weight among the pieces. */
  private final int[][] towerPiece;

  public SharedBottomNetwork(ModelSpec spec, NDManager owner, float[] parameters) {
    this.spec = spec;
    this.layout = new ParameterLayout(spec);
    if (parameters.length != layout.size()) {
      throw new IllegalArgumentException(
          "expected " + layout.size() + " parameters for " + spec + ", got " + parameters.length);
    }
    this.flat = owner.create(parameters);
    flat.setRequiresGradient(true);
    List<Long> cutList = new ArrayList<>();
    this.trunkPiece = pieces(layout.trunk(), cutList);
    this.towerPiece = new int[spec.taskCount()][];
    for (int t = 0; t < spec.taskCount(); t++) {
      towerPiece[t] = pieces(layout.tower(t), cutList);
    }
    // The first weight starts at 0, which is no cut.
    this.cuts = cutList.stream().skip(1).mapToLong(Long::longValue).toArray();
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
   * Views of the parameters for one forward pass (and at most one backward through it). New arrays
   * attach to the flat array's current manager: callers temp-attach it to a per-step manager first.
   */
  public Pass pass() {
    return new Pass(flat.split(cuts));
  }

  /** One forward pass over views taken by a single split of the flat parameters. */
  public final class Pass {

    private final NDList pieces;

    private Pass(NDList pieces) {
      this.pieces = pieces;
    }

    /**
     * Runs the trunk.
     *
     * @param probe null, or a zero leaf of the pre-activation's shape added to it so that a
     *     backward pass exposes the gradient at the last shared layer's pre-activation
     * @param constantSharedWeight whether the last shared layer's weight enters as a constant, so
     *     that autograd leaves its gradient at zero: for a caller that forms that gradient from
     *     per-task pieces it computes anyway
     */
    public TrunkOutput forwardTrunk(NDArray x, NDArray probe, boolean constantSharedWeight) {
      NDArray a = x;
      int last = trunkPiece.length - 1;
      for (int l = 0; l < last; l++) {
        a = activate(dense(trunkPiece[l], layout.trunk().get(l), a));
      }
      NDArray w = weight(trunkPiece[last], layout.trunk().get(last));
      NDArray pre =
          Linear.linear(a, constantSharedWeight ? w.stopGradient() : w, bias(trunkPiece[last]))
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

    /** Runs task {@code task}'s tower on (rows of) the shared representation; raw outputs. */
    public NDArray forwardTower(int task, NDArray representation) {
      List<ParameterLayout.Dense> layers = layout.tower(task);
      NDArray a = representation;
      for (int l = 0; l < layers.size(); l++) {
        a = dense(towerPiece[task][l], layers.get(l), a);
        if (l < layers.size() - 1) {
          a = activate(a);
        }
      }
      return a;
    }

    private NDArray dense(int piece, ParameterLayout.Dense d, NDArray input) {
      return Linear.linear(input, weight(piece, d), bias(piece)).singletonOrThrow();
    }

    private NDArray weight(int piece, ParameterLayout.Dense d) {
      return pieces.get(piece).reshape(new Shape(d.out(), d.in()));
    }

    private NDArray bias(int piece) {
      return pieces.get(piece + 1);
    }
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

  /** Appends the layers' weight and bias offsets to {@code cuts}; returns their weights' pieces. */
  private static int[] pieces(List<ParameterLayout.Dense> layers, List<Long> cuts) {
    int[] weights = new int[layers.size()];
    for (int l = 0; l < layers.size(); l++) {
      ParameterLayout.Dense d = layers.get(l);
      weights[l] = cuts.size();
      cuts.add(d.weightOffset());
      cuts.add(d.biasOffset());
    }
    return weights;
  }
}
