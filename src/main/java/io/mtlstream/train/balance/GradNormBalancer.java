package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * GradNorm (Chen et al. 2018) for a stream, exactly as in docs/DESIGN.md: per update, for the
 * present tasks, G_i = w_i n_i with the old weights, Ḡ their mean, L̃_i = current_i / R_i, r_i =
 * L̃_i / mean L̃, target c_i = Ḡ r_i^α, and one step of the weight optimizer on ∂L_grad/∂w_i = n_i
 * sign(G_i − c_i); then clamp w_i ≥ wMin and renormalise the present tasks to T − Σ_absent w_j, so
 * absent tasks keep their weight exactly and Σ w = T.
 *
 * <p>Warm-up: w = 1 until every task's reference is established (references are fed meanwhile; a
 * task never seen keeps the balancer in warm-up). After {@link #remap} adds a task the balancer is
 * in warm-up again until the new task's reference is established, holding the remapped weights. A
 * step whose needed inputs are not all finite (loss, n_i, L̃_i) changes no weight and is counted in
 * {@link #skippedUpdates()}. Masked stuck tasks ({@link StuckTaskSettings}) are treated like absent
 * ones for the weight update.
 *
 * <p>Owned by one learner thread; not thread-safe. Settings are fixed at construction; the state
 * (weights, optimizer moments and step counts, references, stuck-task tracking, counters) is
 * written by {@link #writeState}.
 */
public final class GradNormBalancer implements LossBalancer {

  public static final String NAME = "gradnorm";
  private static final int VERSION = 1;

  private final GradNormSettings settings;
  private final int taskCount;
  private double[] weights;
  private WeightOptimizer optimizer;
  private ReferenceLoss references;
  private StuckTaskDetector stuck;
  private long skippedUpdates;
  private BalancerReport report;

  public GradNormBalancer(int taskCount, GradNormSettings settings) {
    if (taskCount < 1) {
      throw new IllegalArgumentException("taskCount must be >= 1, got " + taskCount);
    }
    this.settings = settings;
    this.taskCount = taskCount;
    this.weights = new double[taskCount];
    Arrays.fill(weights, 1.0);
    this.optimizer = new WeightOptimizer(settings.optimizer(), settings.weightLr(), taskCount);
    this.references = ReferenceLosses.create(taskCount, settings.reference());
    this.stuck =
        new StuckTaskDetector(taskCount, settings.stuckTasks(), settings.reference().fastSteps());
    this.report = idleReport(GradNormStep.nans(taskCount), true);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int taskCount() {
    return taskCount;
  }

  @Override
  public boolean needsGradientNorms() {
    return true;
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  public GradNormSettings settings() {
    return settings;
  }

  /** Updates whose inputs were not finite and that therefore left the weights unchanged. */
  public long skippedUpdates() {
    return skippedUpdates;
  }

  /** Whether w is still held at 1 for lack of an established reference. */
  public boolean warmingUp() {
    for (int i = 0; i < taskCount; i++) {
      if (!references.established(i)) {
        return true;
      }
    }
    return false;
  }

  /** Tasks currently masked as stuck (all false unless masking is enabled). */
  public boolean[] maskedTasks() {
    boolean[] m = new boolean[taskCount];
    for (int i = 0; i < taskCount; i++) {
      m[i] = stuck.masked(i);
    }
    return m;
  }

  @Override
  public void update(BalanceInput input) {
    if (input.taskCount() != taskCount) {
      throw new IllegalArgumentException(
          "balance input has " + input.taskCount() + " tasks, balancer has " + taskCount);
    }
    boolean[] present = input.present();
    double[] losses = input.losses();
    double[] norms = input.gradNorms();
    double[] baselines = input.baselineLosses();
    for (int i = 0; i < taskCount; i++) {
      if (present[i] && Double.isFinite(losses[i])) {
        references.observe(i, losses[i], baselines[i]);
        stuck.observeLoss(i, losses[i]);
      }
    }
    if (warmingUp()) {
      report = idleReport(presentOnly(norms, present), true);
      return;
    }
    boolean[] active = new boolean[taskCount];
    double[] relative = GradNormStep.nans(taskCount);
    boolean finite = true;
    boolean any = false;
    for (int i = 0; i < taskCount; i++) {
      active[i] = present[i] && !stuck.masked(i);
      if (active[i]) {
        any = true;
        double current = ReferenceLoss.clampLoss(references.current(i, losses[i]));
        relative[i] = current / references.reference(i);
        finite &=
            Double.isFinite(losses[i])
                && norms[i] >= 0
                && Double.isFinite(norms[i])
                && Double.isFinite(relative[i]);
      }
    }
    if (!any || !finite) {
      skippedUpdates += any ? 1 : 0;
      report = idleReport(presentOnly(norms, present), false);
      return;
    }
    GradNormStep step = GradNormStep.compute(norms, weights, relative, active, settings.alpha());
    double[] next = weights.clone();
    for (int i = 0; i < taskCount; i++) {
      if (active[i]) {
        next[i] = optimizer.step(i, weights[i], step.weightGradient()[i]);
      }
    }
    WeightNormalizer.apply(next, active, taskCount, settings.wMin());
    for (double v : next) {
      if (!Double.isFinite(v)) {
        skippedUpdates++; // unreachable with finite inputs; the guard keeps NaN out of w anyway
        report = idleReport(presentOnly(norms, present), false);
        return;
      }
    }
    for (int i = 0; i < taskCount; i++) {
      if (active[i]) {
        stuck.observeWeight(i, weights[i], next[i]);
      }
    }
    stuck.refresh();
    weights = next;
    report =
        new BalancerReport(
            weights,
            presentOnly(norms, present),
            step.weightedNorms(),
            step.targets(),
            step.inverseRates(),
            currentReferences(),
            step.gradLoss(),
            false);
  }

  @Override
  public BalancerReport report() {
    return report;
  }

  @Override
  public void writeState(DataOutput out) throws IOException {
    StateIO.writeHeader(out, NAME, VERSION, taskCount);
    StateIO.writeDoubles(out, weights);
    out.writeLong(skippedUpdates);
    optimizer.write(out);
    references.writeState(out);
    stuck.write(out);
  }

  @Override
  public void readState(DataInput in) throws IOException {
    StateIO.readHeader(in, NAME, VERSION, taskCount);
    double[] w = StateIO.readDoubles(in, taskCount, "weights");
    for (double v : w) {
      if (!(v >= settings.wMin()) || Double.isInfinite(v)) {
        throw new IOException("corrupt gradnorm state: weight " + v + " below wMin or not finite");
      }
    }
    if (Math.abs(Arrays.stream(w).sum() - taskCount) > 1e-6) {
      throw new IOException("corrupt gradnorm state: weights do not sum to " + taskCount);
    }
    long skipped = in.readLong();
    WeightOptimizer o = optimizer.read(in);
    ReferenceLoss r = ReferenceLosses.create(taskCount, settings.reference());
    r.readState(in);
    StuckTaskDetector s = stuck.read(in);
    weights = w;
    skippedUpdates = skipped;
    optimizer = o;
    references = r;
    stuck = s;
    report = idleReport(GradNormStep.nans(taskCount), warmingUp());
  }

  /**
   * See {@link LossBalancer#remap}: weights (floored at wMin), optimizer moments and step counts,
   * references and stuck-task tracking of kept tasks carry over, as does {@link #skippedUpdates()}.
   * A new task has no reference yet, so the result is {@link #warmingUp()} until it is established.
   */
  @Override
  public GradNormBalancer remap(int[] newToOld) {
    TaskRemap map = TaskRemap.of(newToOld, taskCount);
    var r = new GradNormBalancer(map.newTaskCount(), settings);
    r.weights = map.weights(weights, settings.wMin());
    r.optimizer = optimizer.remap(map);
    r.references = references.remap(newToOld);
    r.stuck = stuck.remap(map);
    r.skippedUpdates = skippedUpdates;
    r.report = r.idleReport(GradNormStep.nans(r.taskCount), r.warmingUp());
    return r;
  }

  /** Test hook: sets the weights as if earlier updates had produced them (Σ must be T). */
  void overrideWeights(double[] w) {
    if (w.length != taskCount) {
      throw new IllegalArgumentException("need " + taskCount + " weights");
    }
    weights = w.clone();
  }

  private BalancerReport idleReport(double[] norms, boolean warming) {
    double[] nan = GradNormStep.nans(taskCount);
    return new BalancerReport(
        weights, norms, nan, nan, nan, currentReferences(), Double.NaN, warming);
  }

  private double[] currentReferences() {
    double[] r = new double[taskCount];
    for (int i = 0; i < taskCount; i++) {
      r[i] = references.established(i) ? references.reference(i) : Double.NaN;
    }
    return r;
  }

  private static double[] presentOnly(double[] values, boolean[] present) {
    double[] v = GradNormStep.nans(values.length);
    for (int i = 0; i < v.length; i++) {
      v[i] = present[i] ? values[i] : Double.NaN;
    }
    return v;
  }
}
