package io.mtlstream.train.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.mtlstream.train.MiniBatch;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskRows;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One optimisation step of the shared-bottom network on a mini-batch: forward, task losses,
 * per-task gradient norms at the last shared layer when asked, backward of Σ w_i L_i, global-norm
 * clipping and the optimizer update — or a rejection that leaves parameters and optimizer state
 * untouched.
 *
 * <p>The per-task norms need no extra backward pass (docs/DESIGN.md decision 5): a zero "probe"
 * leaf is added to the last shared layer's pre-activation, so the single backward of Σ w_i L_i also
 * yields ∂(Σ w_j L_j)/∂pre. Every row of the batch belongs to exactly one task, so that gradient's
 * rows of task i are w_i·∂L_i/∂pre, and ∇_W L_i = (∂L_i/∂pre)ᵀ h / w_i follows from one small
 * matrix product per task (or, for small batches, from Gram matrices: {@link GramNorms}). This
 * equals DESIGN's detached-tower method (same ∂L_i/∂pre, the same trunk gradient) with one backward
 * instead of T + 1. A batch of one task needs no probe: its norm is that of the shared weight's
 * gradient. The naive method (a separate full forward/backward per task) is kept for the benchmark
 * and the equivalence tests.
 *
 * <p>Every array a step creates lives in a per-step manager closed at the end of the step. One
 * instance is driven by one thread at a time; steps of different instances may be called from
 * different threads and run one after another (DJL allows one open gradient collector per JVM).
 */
public final class TrainingStep {

  /** How per-task gradient norms are obtained. */
  public enum NormMethod {
    ONE_PASS,
    PER_TASK_BACKWARD
  }

  /** Why a step was rejected. */
  public enum Rejection {
    NON_FINITE_LOSS,
    NON_FINITE_GRADIENT
  }

  /**
   * What a step did. Per-task arrays hold NaN for absent tasks (and for norms not computed); {@code
   * outputs[i]} holds task i's raw outputs (values or logits, row-major) from the forward pass
   * before the update — a test-then-train prediction — or null when absent.
   *
   * @param rejection null when the step was applied
   */
  public record Outcome(
      double[] losses,
      double[] gradNorms,
      float[][] outputs,
      double gradientNorm,
      boolean clipped,
      Rejection rejection) {
    public boolean accepted() {
      return rejection == null;
    }
  }

  /**
   * DJL allows one open gradient collector per JVM, so learners driven by different threads (one
   * Kafka Streams thread decoding while another trains, or models on several stream threads) take
   * turns for a whole step.
   */
  private static final ReentrantLock COLLECTOR = new ReentrantLock();

  private final SharedBottomNetwork network;
  private final FusedOptimizer optimizer;
  private final NDManager root;
  private final double clipNorm;
  private final NDIndex sharedWeightRange;
  private final StagingBuffer staging = new StagingBuffer();

  public TrainingStep(
      SharedBottomNetwork network, FusedOptimizer optimizer, NDManager root, double clipNorm) {
    this.network = network;
    this.optimizer = optimizer;
    this.root = root;
    this.clipNorm = clipNorm;
    ParameterLayout.Dense shared = network.layout().sharedLayer();
    this.sharedWeightRange = new NDIndex().addSliceDim(shared.weightOffset(), shared.biasOffset());
  }

  /**
   * Runs one step with the given (old) task weights.
   *
   * @param normMethod null to skip gradient norms (balancers that do not need them)
   */
  public Outcome run(MiniBatch batch, double[] weights, NormMethod normMethod) {
    COLLECTOR.lock();
    try {
      return runExclusive(batch, weights, normMethod);
    } finally {
      COLLECTOR.unlock();
    }
  }

  private Outcome runExclusive(MiniBatch batch, double[] weights, NormMethod normMethod) {
    NativeThread.prepare();
    ModelSpec spec = network.spec();
    int tasks = spec.taskCount();
    NDArray flat = network.parameters();
    try (NDManager step = root.newSubManager()) {
      flat.tempAttach(step);
      int rows = batch.rows();
      staging.begin(stagedFloats(batch));
      NDArray x = staging.array(step, new Shape(rows, spec.inputs()), f -> features(batch, f));
      double[] losses = nan(tasks);
      double[] norms = nan(tasks);
      NDList outputs = new NDList();
      NDArray probe = null;
      // Several task blocks need the probe; few rows take their norms from Gram matrices.
      boolean gram = normMethod == NormMethod.ONE_PASS && gramNorms(batch);
      SharedBottomNetwork.TrunkOutput trunk = null;
      boolean finite;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        finite =
            normMethod != NormMethod.PER_TASK_BACKWARD
                || perTaskBackward(step, collector, batch, x, norms);
        if (finite) {
          if (normMethod == NormMethod.ONE_PASS && batch.blocks().size() > 1) {
            probe = step.zeros(new Shape(rows, spec.sharedWidth()));
            probe.setRequiresGradient(true);
          }
          SharedBottomNetwork.Pass pass = network.pass();
          trunk = pass.forwardTrunk(x, probe, probe != null && !gram);
          finite =
              combined(
                  step, collector, batch, pass, trunk.representation(), weights, losses, outputs);
        }
      }
      if (!finite) {
        FusedOptimizer.discardGradient(flat);
        return new Outcome(
            losses, norms, new float[tasks][], Double.NaN, false, Rejection.NON_FINITE_LOSS);
      }
      NDArray gradient = flat.getGradient();
      NDArray taskNorms = null;
      if (normMethod == NormMethod.ONE_PASS) {
        taskNorms =
            probe == null
                ? gradient.get(sharedWeightRange).norm()
                : sharedWeightBlocks(
                    batch, gram, probe.getGradient(), trunk.sharedInput(), gradient);
      }
      // Two reads rather than one of a concatenation: on the CPU a read is a copy and the concat
      // (with the reshapes it needs) costs more native calls than it saves; on a GPU the first read
      // waits for the queue, so the second copies a few values from an idle device.
      double gradientNorm = gradient.norm().toFloatArray()[0];
      if (taskNorms != null) {
        float[] values = taskNorms.toFloatArray();
        double[] blockNorms =
            gram ? GramNorms.blockNorms(values, blockRows(batch)) : toDoubles(values);
        for (int b = 0; b < blockNorms.length; b++) {
          int task = batch.blocks().get(b).task();
          norms[task] = blockNorms[b] / weights[task];
        }
      }
      if (!Double.isFinite(gradientNorm)) {
        FusedOptimizer.discardGradient(flat);
        return new Outcome(
            losses, norms, new float[tasks][], gradientNorm, false, Rejection.NON_FINITE_GRADIENT);
      }
      boolean clip = clipNorm > 0 && gradientNorm > clipNorm;
      float rescale = clip ? (float) (clipNorm / gradientNorm) : 1f;
      float[][] predictions = new float[tasks][];
      for (int b = 0; b < outputs.size(); b++) {
        predictions[batch.blocks().get(b).task()] = outputs.get(b).toFloatArray();
      }
      optimizer.update(flat, gradient, activeSegments(batch, tasks), rescale, step);
      return new Outcome(losses, norms, predictions, gradientNorm, clip, null);
    }
  }

  /**
   * Per-block norms of ∇_W (w_i L_i) for a batch of several task blocks. The probe's gradient is
   * ∂(Σ w_j L_j)/∂pre, whose rows of task i are w_i ∂L_i/∂pre; with h the shared layer's input, ∇_W
   * (w_i L_i) = (those rows)ᵀ h_i. Small batches ({@link #gramNorms}) leave the full gradient of W
   * to autograd and return {@link GramNorms#pairs}, whose block sums the host takes. Larger ones
   * entered W as a constant, so autograd left its range of the flat gradient at zero: each block's
   * product is added in place and its norm taken right away, with no stacked [blocks, out, in]
   * copy, which measured as the largest part of the per-task cost. Runs outside the gradient
   * collector, so nothing here is recorded. Returns the block norms, or the pair values.
   */
  private NDArray sharedWeightBlocks(
      MiniBatch batch, boolean gram, NDArray gradPre, NDArray h, NDArray gradient) {
    if (gram) {
      return GramNorms.pairs(gradPre, h);
    }
    ParameterLayout.Dense shared = network.layout().sharedLayer();
    NDArray weightGradient =
        gradient.get(sharedWeightRange).reshape(new Shape(shared.out(), shared.in()));
    int blocks = batch.blocks().size();
    long[] cuts = blockCuts(batch);
    NDList g = gradPre.split(cuts, 0);
    NDList x = h.split(cuts, 0);
    NDList norms = new NDList(blocks);
    for (int b = 0; b < blocks; b++) {
      NDArray piece = g.get(b).transpose().matMul(x.get(b));
      weightGradient.addi(piece);
      norms.add(piece.norm());
    }
    return NDArrays.stack(norms);
  }

  /** Whether this batch's per-block norms come from Gram matrices (several blocks, few rows). */
  private boolean gramNorms(MiniBatch batch) {
    return batch.blocks().size() > 1
        && GramNorms.pays(batch.rows(), network.layout().sharedLayer());
  }

  private static List<Integer> blockRows(MiniBatch batch) {
    return batch.blocks().stream().map(TaskRows::rows).toList();
  }

  private static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /** Forward of every task and one backward of Σ w_i L_i; false if a loss is not finite. */
  private boolean combined(
      NDManager step,
      GradientCollector collector,
      MiniBatch batch,
      SharedBottomNetwork.Pass pass,
      NDArray z,
      double[] weights,
      double[] losses,
      NDList outputs) {
    NDList taskLosses = new NDList();
    // One split, not a slice per block: each slice's backward builds a zero gradient of all of z.
    NDList representations = z.split(blockCuts(batch), 0);
    for (int b = 0; b < batch.blocks().size(); b++) {
      TaskRows rows = batch.blocks().get(b);
      NDArray out = pass.forwardTower(rows.task(), representations.get(b));
      outputs.add(out);
      taskLosses.add(taskLoss(step, rows, out));
    }
    NDArray stacked = NDArrays.stack(taskLosses);
    if (!readLosses(batch, stacked, losses)) {
      return false;
    }
    // Staged like the labels, so valid until the step ends: autograd keeps the weights for the
    // backward (a DJL mul(float) scalar would be freed right after the op; see GraphScalars).
    NDArray blockWeights =
        staging.array(
            step,
            new Shape(batch.blocks().size()),
            f -> batch.blocks().forEach(rows -> f.put((float) weights[rows.task()])));
    collector.backward(stacked.mul(blockWeights).sum());
    return true;
  }

  /** The naive reference: one full forward/backward per task, reading ∇_W L_i each time. */
  private boolean perTaskBackward(
      NDManager step, GradientCollector collector, MiniBatch batch, NDArray x, double[] norms) {
    NDArray flat = network.parameters();
    long row = 0;
    for (TaskRows rows : batch.blocks()) {
      // A pass of its own: the backward below frees the graph of the one before.
      SharedBottomNetwork.Pass pass = network.pass();
      NDArray z = pass.forwardTrunk(x).representation();
      NDArray out = pass.forwardTower(rows.task(), z.get(rowRange(row, rows.rows())));
      NDArray loss = taskLoss(step, rows, out);
      if (!Double.isFinite(loss.getFloat())) {
        return false;
      }
      collector.backward(loss);
      norms[rows.task()] = flat.getGradient().get(sharedWeightRange).norm().getFloat();
      FusedOptimizer.discardGradient(flat);
      row += rows.rows();
    }
    return true;
  }

  private NDArray taskLoss(NDManager step, TaskRows rows, NDArray out) {
    var task = network.spec().task(rows.task());
    NDArray labels = TaskLosses.stageLabels(staging, step, task, rows.labelsView(), rows.rows());
    return TaskLosses.loss(task, out, labels);
  }

  private static boolean readLosses(MiniBatch batch, NDArray stacked, double[] losses) {
    float[] values = stacked.toFloatArray();
    boolean finite = true;
    for (int b = 0; b < values.length; b++) {
      losses[batch.blocks().get(b).task()] = values[b];
      finite &= Float.isFinite(values[b]);
    }
    return finite;
  }

  private static boolean[] activeSegments(MiniBatch batch, int tasks) {
    boolean[] active = new boolean[tasks + 1];
    active[0] = true;
    for (TaskRows rows : batch.blocks()) {
      active[rows.task() + 1] = true;
    }
    return active;
  }

  private static void features(MiniBatch batch, FloatBuffer into) {
    for (TaskRows rows : batch.blocks()) {
      into.put(rows.featuresView());
    }
  }

  /**
   * Features once, labels twice (the naive norm method computes every task's loss twice), one
   * weight per block.
   */
  private long stagedFloats(MiniBatch batch) {
    long floats = (long) batch.rows() * network.spec().inputs() + batch.blocks().size();
    for (TaskRows rows : batch.blocks()) {
      floats += 2 * TaskLosses.stagedFloats(network.spec().task(rows.task()), rows.rows());
    }
    return floats;
  }

  /** Where the batch's rows are cut into its task blocks (none for a single block). */
  private static long[] blockCuts(MiniBatch batch) {
    long[] cuts = new long[batch.blocks().size() - 1];
    long row = 0;
    for (int b = 0; b < cuts.length; b++) {
      row += batch.blocks().get(b).rows();
      cuts[b] = row;
    }
    return cuts;
  }

  private static NDIndex rowRange(long start, int rows) {
    return new NDIndex().addSliceDim(start, start + rows);
  }

  private static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }
}
