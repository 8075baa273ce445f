package io.mtlstream.generate;

import io.mtlstream.event.LabeledEvent;
import io.mtlstream.event.TaskSchema;
import io.mtlstream.experiment.ToyTasks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * An endless, deterministic stream of labelled events for GradNorm's toy tasks (see {@link
 * ToyTasks}). Event {@code i} belongs to task {@code i mod T}, has its own fresh input x, the id
 * {@code "<seed>-<i>"} and the injected clock's time; its label is σ·tanh((B + ε)x) with the σ in
 * force at index {@code i} after the drift schedule. The same settings give the same events (ids,
 * features, labels) on every run; only timestamps follow the clock.
 *
 * <p>Ownership: owns a {@link ToyTasks} and its native memory; {@link #close()} it. Threading: not
 * thread-safe; one thread calls {@link #next()}.
 */
public final class ToyEventSource implements Iterator<LabeledEvent>, AutoCloseable {

  public static final int DEFAULT_BLOCK_SIZE = 100;

  // Unit scale: σ is applied per event, so a drift takes effect at its exact event index even in
  // the middle of a block. 1f·v is exact, and σ·v is what ToyTasks computes, so labels match it.
  private final ToyTasks unitTasks;
  private final double[] sigmas;
  private final List<String> taskNames;
  private final List<SigmaDrift> drifts;
  private final String model;
  private final Clock clock;
  private final int blockSize;
  private final String idPrefix;
  private final SplittableRandom random;
  private int nextDrift;
  private long index;
  private float[] x;
  private float[][] y;
  private int row;
  private int rows;

  private ToyEventSource(Builder b, List<String> names, List<SigmaDrift> sortedDrifts) {
    this.sigmas = b.sigmas.clone();
    this.taskNames = names;
    this.drifts = sortedDrifts;
    this.model = b.model;
    this.clock = b.clock;
    this.blockSize = b.blockSize;
    this.idPrefix = b.seed + "-";
    // The toy experiment's training-input stream: held-out inputs there use ~seed instead.
    this.random = new SplittableRandom(b.seed ^ 0x5DEECE66DL);
    double[] ones = new double[sigmas.length];
    Arrays.fill(ones, 1.0);
    this.unitTasks = new ToyTasks(ones, b.seed); // B and ε_i depend on the seed and T, not on σ
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Always true: the stream is endless. */
  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public LabeledEvent next() {
    while (nextDrift < drifts.size() && drifts.get(nextDrift).eventIndex() <= index) {
      SigmaDrift d = drifts.get(nextDrift++);
      sigmas[d.task()] = d.sigma();
    }
    if (row == rows) {
      nextBlock();
    }
    int task = (int) (index % sigmas.length);
    float[] features = Arrays.copyOfRange(x, row * ToyTasks.INPUTS, (row + 1) * ToyTasks.INPUTS);
    float[] label = new float[ToyTasks.OUTPUTS];
    float sigma = (float) sigmas[task];
    int offset = row * ToyTasks.OUTPUTS;
    for (int k = 0; k < label.length; k++) {
      label[k] = sigma * y[task][offset + k];
    }
    LabeledEvent event =
        new LabeledEvent(
            idPrefix + index, model, taskNames.get(task), features, label, clock.millis());
    row++;
    index++;
    return event;
  }

  /** One matmul per block; each row serves one event, so only its own task's outputs are used. */
  private void nextBlock() {
    x = unitTasks.inputs(random, blockSize);
    y = unitTasks.targets(x, blockSize);
    rows = blockSize;
    row = 0;
  }

  /** The index of the event {@link #next()} returns next; also the count produced so far. */
  public long index() {
    return index;
  }

  /** Task names in task order: event {@code i} belongs to {@code taskNames().get(i % T)}. */
  public List<String> taskNames() {
    return taskNames;
  }

  @Override
  public void close() {
    unitTasks.close();
  }

  /** Builds a {@link ToyEventSource}; not thread-safe. */
  public static final class Builder {
    private double[] sigmas;
    private long seed;
    private String model = "default";
    private List<String> taskNames;
    private List<SigmaDrift> drifts = List.of();
    private Clock clock = Clock.systemUTC();
    private int blockSize = DEFAULT_BLOCK_SIZE;

    private Builder() {}

    /** The tasks' initial scales σ_i, one per task (finite, > 0); required. */
    public Builder setSigmas(double... values) {
      sigmas = values.clone();
      return this;
    }

    /** Seeds B, ε_i and the inputs; default 0. */
    public Builder optSeed(long value) {
      seed = value;
      return this;
    }

    /** The model id of every event; default {@code default}. */
    public Builder optModel(String value) {
      model = Objects.requireNonNull(value, "model");
      return this;
    }

    /** Task names, one per σ; default {@code task0..task{T-1}} as in {@code ToyTasks}. */
    public Builder optTaskNames(List<String> values) {
      taskNames = List.copyOf(values);
      return this;
    }

    /** Scale changes by event index; any order. */
    public Builder optDrifts(List<SigmaDrift> values) {
      drifts = List.copyOf(values);
      return this;
    }

    /** The source of event timestamps; default the UTC system clock. */
    public Builder optClock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Inputs generated per matmul; default 100. */
    public Builder optBlockSize(int value) {
      blockSize = value;
      return this;
    }

    public ToyEventSource build() {
      if (sigmas == null || sigmas.length == 0) {
        throw new IllegalStateException("setSigmas(...) is required: one scale per task");
      }
      for (double s : sigmas) {
        if (!(s > 0) || Double.isInfinite(s)) {
          throw new IllegalArgumentException("sigmas must be finite and > 0, got " + s);
        }
      }
      if (model.isEmpty()) {
        throw new IllegalArgumentException("model id must be non-empty");
      }
      if (blockSize < 1) {
        throw new IllegalArgumentException("block size must be >= 1, was " + blockSize);
      }
      List<String> names = taskNames != null ? taskNames : defaultNames(sigmas.length);
      if (names.size() != sigmas.length) {
        throw new IllegalArgumentException(
            names.size() + " task names for " + sigmas.length + " sigmas; give one per task");
      }
      // The decoder's rule for task names, so that every event generated is also accepted.
      names.forEach(n -> TaskSchema.regression(n, ToyTasks.OUTPUTS));
      if (Set.copyOf(names).size() != names.size()) {
        throw new IllegalArgumentException("task names must be distinct, got " + names);
      }
      for (SigmaDrift d : drifts) {
        if (d.task() >= sigmas.length) {
          throw new IllegalArgumentException(
              "drift " + d + " names task " + d.task() + "; tasks are 0.." + (sigmas.length - 1));
        }
      }
      List<SigmaDrift> sorted = new ArrayList<>(drifts);
      sorted.sort(Comparator.comparingLong(SigmaDrift::eventIndex)); // stable: ties keep order
      return new ToyEventSource(this, names, List.copyOf(sorted));
    }

    private static List<String> defaultNames(int count) {
      List<String> names = new ArrayList<>();
      for (int t = 0; t < count; t++) {
        names.add("task" + t);
      }
      return List.copyOf(names);
    }
  }
}
