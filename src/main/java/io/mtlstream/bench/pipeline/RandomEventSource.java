package io.mtlstream.bench.pipeline;

import io.mtlstream.event.LabeledEvent;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Endless random events for the benchmark's reference model: standard-normal features, and labels
 * valid for each task's type — a normal value (regression), 0/1 (binary), a class index
 * (multiclass). Event {@code i} belongs to task {@code i mod T}; timestamps follow the clock.
 * Deterministic for a seed apart from timestamps. Not thread-safe; holds no native memory.
 */
public final class RandomEventSource implements PipelineWorkload.Events {

  /** A task of the source: its name, and for classification its class count (0 = regression). */
  public record Task(String name, int classes) {}

  private final int inputs;
  private final List<Task> tasks;
  private final Clock clock;
  private final SplittableRandom random;
  private long index;

  public RandomEventSource(int inputs, List<Task> tasks, long seed, Clock clock) {
    if (inputs < 1 || tasks.isEmpty()) {
      throw new IllegalArgumentException("need >= 1 input and >= 1 task");
    }
    this.inputs = inputs;
    this.tasks = List.copyOf(tasks);
    this.clock = clock;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public LabeledEvent next() {
    Task task = tasks.get((int) (index % tasks.size()));
    float[] x = new float[inputs];
    for (int i = 0; i < inputs; i++) {
      x[i] = (float) random.nextGaussian();
    }
    float label =
        task.classes() == 0 ? (float) random.nextGaussian() : random.nextInt(task.classes());
    return new LabeledEvent(
        "r-" + index++, "default", task.name(), x, new float[] {label}, clock.millis());
  }

  @Override
  public void close() {}
}
