package io.mtlstream.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.mtlstream.train.nn.Devices;
import io.mtlstream.train.nn.NativeThread;
import io.mtlstream.train.nn.ParameterLayout;
import io.mtlstream.train.nn.StagingBuffer;
import io.mtlstream.train.nn.TaskLosses;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An inference-only shared-bottom network built from a {@link ModelSpec} and a flat parameter
 * vector (layout of {@link ParameterLayout}), e.g. a published snapshot. It computes exactly what
 * {@link MultiTaskLearner#predict} computes for the same parameters: the same dense layers,
 * activation and output transforms ({@link TaskLosses#predictions}).
 *
 * <p>Unlike the learner's network, which keeps one flat leaf and takes views of it per step, every
 * layer's weight and bias is sliced into its own native array once, at load. A prediction then only
 * reads those arrays, so any number of threads may predict concurrently: each call creates its
 * input in a fresh sub-manager, every intermediate and result attaches to that manager (an
 * operation's result belongs to its first input's manager), and the call closes it before returning
 * plain Java arrays.
 *
 * <p>Ownership: the model owns one native manager holding the parameters (about 4 bytes per
 * parameter); {@link #close()} frees it. Thread-safety: {@link #predict} and {@link #predictAll}
 * are safe from any number of threads; {@link #close()} waits for predictions in flight, after
 * which predictions throw {@link IllegalStateException}. Whoever swaps models (the serving
 * subscriber) should still close a model only once no caller can reach it.
 */
public final class SnapshotModel implements AutoCloseable {

  private record Dense(NDArray weight, NDArray bias) {}

  private final ModelSpec spec;
  private final int parameterCount;
  private final NDManager manager;
  private final List<Dense> trunk;
  private final List<List<Dense>> towers;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final ThreadLocal<StagingBuffer> staging = ThreadLocal.withInitial(StagingBuffer::new);
  private boolean closed;

  private SnapshotModel(ModelSpec spec, FloatBuffer parameters, String device) {
    this.spec = Objects.requireNonNull(spec, "spec");
    ParameterLayout layout = new ParameterLayout(spec);
    if (parameters.remaining() != layout.size()) {
      throw new IllegalArgumentException(
          "expected "
              + layout.size()
              + " parameters for "
              + spec
              + ", got "
              + parameters.remaining());
    }
    this.parameterCount = layout.size();
    this.manager = NDManager.newBaseManager(Devices.select(device));
    try {
      this.trunk = slice(layout.trunk(), parameters);
      var perTask = new ArrayList<List<Dense>>();
      for (int t = 0; t < spec.taskCount(); t++) {
        perTask.add(slice(layout.tower(t), parameters));
      }
      this.towers = List.copyOf(perTask);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** A CPU model from a copy of {@code parameters}. */
  public static SnapshotModel load(ModelSpec spec, float[] parameters) {
    return load(spec, FloatBuffer.wrap(parameters), "cpu");
  }

  /**
   * A model from the floats between the buffer's position and limit (read, not consumed), e.g. a
   * snapshot's read-only parameter view, copied into native memory on {@code device}.
   *
   * @param device {@code cpu}, {@code auto}, {@code gpu} or {@code gpu:N}
   * @throws IllegalArgumentException if the parameter count does not fit the spec
   */
  public static SnapshotModel load(ModelSpec spec, FloatBuffer parameters, String device) {
    return new SnapshotModel(spec, parameters.duplicate(), device);
  }

  /**
   * The request's features on this thread's staging buffer: a fresh direct buffer per request would
   * hold native memory until a garbage collection (see {@link StagingBuffer}).
   */
  private NDArray staged(NDManager scope, float[] features, int rows) {
    StagingBuffer buffer = staging.get();
    buffer.begin(features.length);
    return buffer.array(scope, features, new Shape(rows, spec.inputs()));
  }

  /**
   * Serving outputs of one task for {@code rows} events, as {@link MultiTaskLearner#predict}:
   * values for regression, P(y = 1) for binary, class probabilities for multiclass; row-major,
   * {@code rows × outputs}.
   *
   * @param features {@code rows × inputs} values, row-major
   * @throws IndexOutOfBoundsException if there is no task {@code task}
   * @throws IllegalArgumentException if {@code rows < 1} or the feature count is not {@code rows ×
   *     inputs}
   * @throws IllegalStateException if the model was closed
   */
  public float[] predict(int task, float[] features, int rows) {
    Objects.checkIndex(task, spec.taskCount());
    checkShape(features, rows);
    lock.readLock().lock();
    try (NDManager scope = openScope()) {
      NDArray representation = forwardTrunk(staged(scope, features, rows));
      return output(task, representation);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Every task's outputs for the same rows, running the trunk once; element {@code i} is what
   * {@link #predict predict(i, features, rows)} returns.
   */
  public float[][] predictAll(float[] features, int rows) {
    checkShape(features, rows);
    lock.readLock().lock();
    try (NDManager scope = openScope()) {
      NDArray representation = forwardTrunk(staged(scope, features, rows));
      float[][] out = new float[spec.taskCount()][];
      for (int t = 0; t < out.length; t++) {
        out[t] = output(t, representation);
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  public int parameterCount() {
    return parameterCount;
  }

  /** Frees the parameters once predictions in flight have finished. Idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        manager.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Call with the read lock held. */
  private NDManager openScope() {
    if (closed) {
      throw new IllegalStateException("snapshot model is closed");
    }
    // Serving threads are not the engine's loading thread: without this, each prediction's
    // products would run on every core whatever the configured thread count.
    NativeThread.prepare();
    return manager.newSubManager();
  }

  private void checkShape(float[] features, int rows) {
    if (rows < 1 || features.length != (long) rows * spec.inputs()) {
      throw new IllegalArgumentException(
          "expected " + rows + " × " + spec.inputs() + " features, got " + features.length);
    }
  }

  private NDArray forwardTrunk(NDArray x) {
    NDArray a = x;
    for (Dense d : trunk) {
      a = activate(dense(d, a));
    }
    return a;
  }

  private float[] output(int task, NDArray representation) {
    List<Dense> layers = towers.get(task);
    NDArray a = representation;
    for (int l = 0; l < layers.size(); l++) {
      a = dense(layers.get(l), a);
      if (l < layers.size() - 1) {
        a = activate(a);
      }
    }
    return TaskLosses.predictions(spec.task(task), a).toFloatArray();
  }

  private static NDArray dense(Dense d, NDArray input) {
    return Linear.linear(input, d.weight(), d.bias()).singletonOrThrow();
  }

  /** The same non-linearities as the learner's network. */
  private NDArray activate(NDArray a) {
    return switch (spec.activation()) {
      case RELU -> ai.djl.nn.Activation.relu(a);
      case TANH -> a.tanh();
      case SIGMOID -> ai.djl.nn.Activation.sigmoid(a);
      case IDENTITY -> a;
    };
  }

  private List<Dense> slice(List<ParameterLayout.Dense> layers, FloatBuffer parameters) {
    var out = new ArrayList<Dense>();
    for (ParameterLayout.Dense d : layers) {
      NDArray weight =
          manager.create(
              range(parameters, d.weightOffset(), d.biasOffset()),
              new Shape(d.out(), d.in()),
              DataType.FLOAT32);
      NDArray bias =
          manager.create(
              range(parameters, d.biasOffset(), d.end()), new Shape(d.out()), DataType.FLOAT32);
      out.add(new Dense(weight, bias));
    }
    return List.copyOf(out);
  }

  private static FloatBuffer range(FloatBuffer parameters, long from, long to) {
    FloatBuffer b = parameters.duplicate();
    int base = parameters.position();
    b.position(base + (int) from).limit(base + (int) to);
    return b.slice();
  }
}
