package io.mtlstream.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mtlstream.train.Activation;
import io.mtlstream.train.MiniBatch;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskRows;
import io.mtlstream.train.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic tasks of GradNorm's Sec. 4: f_i(x) = σ_i·tanh((B + ε_i)x), x ∈ R²⁵⁰ drawn from
 * U(−1, 1) and L2-normalised, outputs in R¹⁰⁰; B and ε_i have N(0, 10²) and N(0, 3.5²) entries,
 * fixed by the seed. σ_i can be changed mid-stream to model drift. Owns a small native manager for
 * the target computation; close it. Not thread-safe.
 */
public final class ToyTasks implements AutoCloseable {

  public static final int INPUTS = 250;
  public static final int OUTPUTS = 100;

  private final double[] sigmas;
  private final NDManager manager;
  private final NDArray matrices; // [T·100, 250]: row block i is B + ε_i

  public ToyTasks(double[] sigmas, long seed) {
    this.sigmas = sigmas.clone();
    SplittableRandom random = new SplittableRandom(seed);
    float[] b = gaussian(random, OUTPUTS * INPUTS, 10.0);
    float[] all = new float[sigmas.length * OUTPUTS * INPUTS];
    for (int t = 0; t < sigmas.length; t++) {
      float[] eps = gaussian(random, OUTPUTS * INPUTS, 3.5);
      for (int k = 0; k < eps.length; k++) {
        all[t * eps.length + k] = b[k] + eps[k];
      }
    }
    this.manager = NDManager.newBaseManager(ai.djl.Device.cpu());
    this.matrices = manager.create(all, new Shape((long) sigmas.length * OUTPUTS, INPUTS));
  }

  /** The paper's network: 4 shared ReLU layers of 100 units, one affine 100→100 head per task. */
  public ModelSpec modelSpec() {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int t = 0; t < sigmas.length; t++) {
      tasks.add(TaskSpec.regression("task" + t, OUTPUTS));
    }
    return new ModelSpec(INPUTS, new int[] {100, 100, 100, 100}, Activation.RELU, tasks);
  }

  public int taskCount() {
    return sigmas.length;
  }

  public double sigma(int task) {
    return sigmas[task];
  }

  /** Changes σ of one task from now on (a drift in the task's scale). */
  public void setSigma(int task, double sigma) {
    sigmas[task] = sigma;
  }

  /** {@code rows} inputs, each drawn from U(−1, 1)²⁵⁰ and scaled to unit L2 norm. */
  public float[] inputs(SplittableRandom random, int rows) {
    float[] x = new float[rows * INPUTS];
    for (int r = 0; r < rows; r++) {
      double sq = 0;
      for (int k = 0; k < INPUTS; k++) {
        double v = random.nextDouble(-1, 1);
        x[r * INPUTS + k] = (float) v;
        sq += v * v;
      }
      float inv = (float) (1 / Math.sqrt(sq));
      for (int k = 0; k < INPUTS; k++) {
        x[r * INPUTS + k] *= inv;
      }
    }
    return x;
  }

  /** Targets of every task for the given inputs: {@code [task][rows × 100]}. */
  public float[][] targets(float[] x, int rows) {
    try (NDManager scope = manager.newSubManager()) {
      matrices.tempAttach(scope);
      float[] all =
          scope
              .create(x, new Shape(rows, INPUTS))
              .matMul(matrices.transpose())
              .tanh()
              .toFloatArray();
      int t = sigmas.length;
      float[][] out = new float[t][rows * OUTPUTS];
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < t; i++) {
          float s = (float) sigmas[i];
          int src = r * t * OUTPUTS + i * OUTPUTS;
          for (int k = 0; k < OUTPUTS; k++) {
            out[i][r * OUTPUTS + k] = s * all[src + k];
          }
        }
      }
      return out;
    }
  }

  /** A mini-batch where every task is labelled on the same fresh inputs (the paper's setting). */
  public MiniBatch batch(SplittableRandom random, int rows) {
    float[] x = inputs(random, rows);
    float[][] y = targets(x, rows);
    List<TaskRows> blocks = new ArrayList<>();
    for (int t = 0; t < sigmas.length; t++) {
      blocks.add(new TaskRows(t, rows, x, y[t]));
    }
    return new MiniBatch(blocks);
  }

  private static float[] gaussian(SplittableRandom random, int n, double std) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * std);
    }
    return v;
  }

  @Override
  public void close() {
    manager.close();
  }
}
