package io.mtlstream.bench;

import io.mtlstream.event.EventSchema;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.event.TaskSchema;
import io.mtlstream.experiment.ToyTasks;
import io.mtlstream.generate.ToyEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic inputs for {@link DecodeBenchmark}: the toy generator's events (250 features, 100
 * regression outputs per task, two tasks) and events of the reference model (64 features; a
 * regression, a binary and a 5-class task, as in {@link StepBenchmark.Config#reference()}).
 * Stateless.
 */
public final class DecodePayloads {

  private DecodePayloads() {}

  /** {@code count} events of {@code generate}'s default toy stream (σ = 1, 100; seed 0). */
  public static DecodeBenchmark.Payload toy(int count) {
    List<LabeledEvent> events = new ArrayList<>(count);
    try (ToyEventSource source = ToyEventSource.builder().setSigmas(1, 100).optSeed(0).build()) {
      for (int i = 0; i < count; i++) {
        events.add(source.next());
      }
      EventSchema.Builder schema = EventSchema.builder().setFeatures(ToyTasks.INPUTS);
      source.taskNames().forEach(t -> schema.addTask(TaskSchema.regression(t, ToyTasks.OUTPUTS)));
      return new DecodeBenchmark.Payload("toy-" + ToyTasks.INPUTS, schema.build(), events);
    }
  }

  /** {@code count} reference-model events with Gaussian features, round-robin over the tasks. */
  public static DecodeBenchmark.Payload reference(int count) {
    int inputs = StepBenchmark.Config.reference().inputs();
    EventSchema schema =
        EventSchema.of(
            inputs,
            TaskSchema.regression("reg0", 1),
            TaskSchema.binary("bin1"),
            TaskSchema.multiclass("cls2", 5));
    SplittableRandom random = new SplittableRandom(11);
    List<LabeledEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      float[] x = new float[inputs];
      for (int k = 0; k < inputs; k++) {
        x[k] = (float) random.nextGaussian();
      }
      String task = List.of("reg0", "bin1", "cls2").get(i % 3);
      float label =
          switch (i % 3) {
            case 0 -> (float) random.nextGaussian();
            case 1 -> random.nextInt(2);
            default -> random.nextInt(5);
          };
      events.add(
          new LabeledEvent(
              "ref-" + i, "default", task, x, new float[] {label}, 1_700_000_000_000L + i));
    }
    return new DecodeBenchmark.Payload("ref-" + inputs, schema, events);
  }
}
