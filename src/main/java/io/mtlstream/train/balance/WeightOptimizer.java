package io.mtlstream.train.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Locale;

/**
 * The optimizer of a balancer's own scalar parameters (GradNorm's w_i, uncertainty's s_i): Adam (β1
 * 0.9, β2 0.999, ε 1e-8) or plain SGD. Its state — Adam's moments and a step count per parameter
 * for the bias correction — lives as long as the balancer and is part of its saved state;
 * re-creating it per step would turn Adam into sign-SGD and lose the momentum (a known bug of
 * public GradNorm code). A parameter only advances its own step count when it is stepped, so a task
 * that is often absent gets a correct bias correction. Owned by one balancer; not thread-safe.
 */
public final class WeightOptimizer {

  /** Which update rule. */
  public enum Kind {
    ADAM,
    SGD;

    /** Parses {@code adam|sgd}, case-insensitive. */
    public static Kind parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown weight optimizer '" + text + "': expected adam or sgd", e);
      }
    }
  }

  static final double BETA1 = 0.9;
  static final double BETA2 = 0.999;
  static final double EPSILON = 1e-8;
  private static final double MAX_GRADIENT = 1e150;

  private final Kind kind;
  private final double learningRate;
  private final double[] m;
  private final double[] v;
  private final long[] steps;

  WeightOptimizer(Kind kind, double learningRate, int size) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
    }
    this.kind = kind;
    this.learningRate = learningRate;
    this.m = new double[size];
    this.v = new double[size];
    this.steps = new long[size];
  }

  /** One descent step of parameter i with gradient {@code grad}; returns the new value. */
  double step(int i, double param, double grad) {
    steps[i]++;
    if (kind == Kind.SGD) {
      return param - learningRate * grad;
    }
    // Adam is invariant to the gradient's scale, so this clip changes nothing in practice; it
    // keeps g² finite, because an infinite second moment would freeze the parameter for good.
    double g = Math.max(-MAX_GRADIENT, Math.min(MAX_GRADIENT, grad));
    m[i] = BETA1 * m[i] + (1 - BETA1) * g;
    v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
    // StrictMath: the same bits on every JVM, so a restored learner continues identically.
    double mHat = m[i] / (1 - StrictMath.pow(BETA1, steps[i]));
    double vHat = v[i] / (1 - StrictMath.pow(BETA2, steps[i]));
    return param - learningRate * mHat / (Math.sqrt(vHat) + EPSILON);
  }

  /**
   * A new optimizer with this one's settings whose parameter j continues parameter {@code
   * map.oldIndex(j)} (moments and step count); new parameters start as in a fresh optimizer.
   */
  WeightOptimizer remap(TaskRemap map) {
    WeightOptimizer r = new WeightOptimizer(kind, learningRate, map.newTaskCount());
    copy(map.doubles(m, 0.0), r.m);
    copy(map.doubles(v, 0.0), r.v);
    System.arraycopy(map.longs(steps), 0, r.steps, 0, r.steps.length);
    return r;
  }

  /** How often parameter i has been stepped. */
  long steps(int i) {
    return steps[i];
  }

  void write(DataOutput out) throws IOException {
    out.writeByte(kind.ordinal());
    StateIO.writeDoubles(out, m);
    StateIO.writeDoubles(out, v);
    StateIO.writeLongs(out, steps);
  }

  /** Reads what {@link #write} wrote into a new optimizer with this one's settings. */
  WeightOptimizer read(DataInput in) throws IOException {
    int savedKind = in.readUnsignedByte();
    if (savedKind != kind.ordinal()) {
      String saved = savedKind < Kind.values().length ? Kind.values()[savedKind].name() : "?";
      throw new IOException(
          "saved weight optimizer is " + saved + " but " + kind + " is configured");
    }
    WeightOptimizer restored = new WeightOptimizer(kind, learningRate, steps.length);
    copy(StateIO.readDoubles(in, m.length, "optimizer first moments"), restored.m);
    copy(StateIO.readDoubles(in, v.length, "optimizer second moments"), restored.v);
    long[] s = StateIO.readLongs(in, steps.length, "optimizer step counts");
    System.arraycopy(s, 0, restored.steps, 0, s.length);
    return restored;
  }

  private static void copy(double[] from, double[] to) {
    System.arraycopy(from, 0, to, 0, to.length);
  }
}
