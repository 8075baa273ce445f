package io.mtlstream.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mtlstream.train.balance.BalanceInput;
import io.mtlstream.train.balance.LossBalancer;
import io.mtlstream.train.nn.Devices;
import io.mtlstream.train.nn.FusedOptimizer;
import io.mtlstream.train.nn.NativeThread;
import io.mtlstream.train.nn.SharedBottomNetwork;
import io.mtlstream.train.nn.StagingBuffer;
import io.mtlstream.train.nn.TaskLosses;
import io.mtlstream.train.nn.TrainingStep;
import java.util.Arrays;

/**
 * An online multi-task learner: a shared-bottom network, its optimizer, a loss balancer and the
 * running label statistics, advanced one mini-batch at a time.
 *
 * <p>Owns one native {@link NDManager} holding the parameters and optimizer moments; {@link
 * #close()} frees them. Every step works in a per-step manager, so a long run keeps a flat native
 * memory profile. Not thread-safe: one thread drives a learner. Learners on different threads may
 * step concurrently; their steps take turns (DJL allows one open gradient collector per JVM).
 */
public final class MultiTaskLearner implements AutoCloseable {

  private final LearnerSettings settings;
  private final NDManager manager;
  private final SharedBottomNetwork network;
  private final FusedOptimizer optimizer;
  private final TrainingStep trainingStep;
  private final LossBalancer balancer;
  private final LabelStatistics labels;
  private final LearnerCounters counters;
  private final StagingBuffer evaluationStaging = new StagingBuffer();

  MultiTaskLearner(LearnerSettings settings, LearnerState state) {
    this.settings = settings;
    ModelSpec spec = settings.model();
    Device device = Devices.select(settings.device());
    this.manager = NDManager.newBaseManager(device);
    try {
      this.network = new SharedBottomNetwork(spec, manager, state.parameters());
      this.optimizer =
          new FusedOptimizer(
              settings.optimizer(),
              network.layout(),
              manager,
              state.firstMoments(),
              state.secondMoments(),
              state.segmentSteps());
      this.trainingStep =
          new TrainingStep(network, optimizer, manager, settings.optimizer().clipNorm());
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    this.balancer = state.balancer();
    this.labels = state.labels();
    this.counters = state.counters();
  }

  /** A new learner with seeded initial parameters. */
  public static MultiTaskLearner create(LearnerSettings settings) {
    return new MultiTaskLearner(settings, LearnerState.initial(settings));
  }

  /** A learner continuing bit-identically from bytes written by {@link #saveState()}. */
  public static MultiTaskLearner restore(LearnerSettings settings, byte[] state) {
    return new MultiTaskLearner(settings, LearnerStateCodec.decode(settings, state));
  }

  /** Serialises the complete learner state (versioned; see {@link LearnerStateCodec}). */
  public byte[] saveState() {
    return LearnerStateCodec.encode(settings, snapshotState());
  }

  /**
   * Trains on one mini-batch. A step whose loss or gradient is not finite is rejected and counted;
   * it leaves parameters, optimizer moments, balancer and label statistics untouched.
   *
   * @throws IllegalArgumentException if the batch does not fit the model (a bug upstream: the
   *     stream validates events before they reach the learner)
   */
  public StepResult step(MiniBatch batch) {
    BatchChecks.check(settings.model(), batch);
    double[] weights = balancer.weights();
    TrainingStep.Outcome outcome =
        trainingStep.run(
            batch, weights, balancer.needsGradientNorms() ? settings.normMethod() : null);
    if (!outcome.accepted()) {
      counters.reject(outcome.rejection().name().toLowerCase(java.util.Locale.ROOT));
      return new StepResult(
          counters.steps(),
          outcome.rejection().name().toLowerCase(java.util.Locale.ROOT),
          outcome.losses(),
          outcome.gradNorms(),
          weights,
          balancer.report(),
          outcome.gradientNorm(),
          false,
          outcome.outputs());
    }
    int tasks = settings.model().taskCount();
    boolean[] present = new boolean[tasks];
    for (TaskRows rows : batch.blocks()) {
      present[rows.task()] = true;
      labels.observe(rows.task(), rows.labelsView(), rows.rows());
      counters.trained(rows.task(), rows.rows());
    }
    double[] baselines = new double[tasks];
    for (int i = 0; i < tasks; i++) {
      baselines[i] = labels.constantPredictorLoss(i);
    }
    balancer.update(new BalanceInput(present, outcome.losses(), outcome.gradNorms(), baselines));
    counters.stepDone();
    return new StepResult(
        counters.steps(),
        null,
        outcome.losses(),
        outcome.gradNorms(),
        weights,
        balancer.report(),
        outcome.gradientNorm(),
        outcome.clipped(),
        outcome.outputs());
  }

  /**
   * Serving outputs of one task for {@code rows} events: regression values, P(y=1) for binary,
   * class probabilities for multiclass; row-major, {@code rows × outputs}.
   */
  public float[] predict(int task, float[] features, int rows) {
    return evaluate(task, features, rows, null);
  }

  /** The task's mean loss on held-out rows, without training. */
  public double loss(int task, float[] features, float[] labelValues, int rows) {
    return evaluate(task, features, rows, labelValues)[0];
  }

  private float[] evaluate(int task, float[] features, int rows, float[] labelValues) {
    ModelSpec spec = settings.model();
    if (features.length != rows * spec.inputs()) {
      throw new IllegalArgumentException(
          "expected " + rows + " × " + spec.inputs() + " features, got " + features.length);
    }
    NDArray flat = network.parameters();
    NativeThread.prepare();
    try (NDManager scope = manager.newSubManager()) {
      flat.tempAttach(scope);
      evaluationStaging.begin(features.length);
      NDArray x = evaluationStaging.array(scope, features, new Shape(rows, spec.inputs()));
      SharedBottomNetwork.Pass pass = network.pass();
      NDArray out = pass.forwardTower(task, pass.forwardTrunk(x).representation());
      TaskSpec t = spec.task(task);
      if (labelValues == null) {
        return TaskLosses.predictions(t, out).toFloatArray();
      }
      return TaskLosses.loss(t, out, TaskLosses.labels(scope, t, labelValues, rows)).toFloatArray();
    }
  }

  public ModelSpec spec() {
    return settings.model();
  }

  public LearnerSettings settings() {
    return settings;
  }

  /** Current task weights. */
  public double[] weights() {
    return balancer.weights();
  }

  public LossBalancer balancer() {
    return balancer;
  }

  public long steps() {
    return counters.steps();
  }

  public LearnerCounters counters() {
    return counters.copy();
  }

  /**
   * A copy of the flat parameter vector (layout: {@link io.mtlstream.train.nn.ParameterLayout}).
   */
  public float[] parameters() {
    return network.parameters().toFloatArray();
  }

  /**
   * Arrays alive in this learner's native manager tree — flat across steps unless something leaks.
   */
  public int liveNativeArrays() {
    return manager.getManagedArrays().size();
  }

  private LearnerState snapshotState() {
    return new LearnerState(
        parameters(),
        optimizer.firstMoments(),
        optimizer.secondMoments(),
        optimizer.segmentSteps(),
        balancer,
        labels,
        counters);
  }

  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    return "MultiTaskLearner("
        + settings.balancer()
        + ", step "
        + counters.steps()
        + ", w="
        + Arrays.toString(balancer.weights())
        + ")";
  }
}
