package io.mtlstream.bench.pipeline;

import io.mtlstream.event.LabeledEvent;
import io.mtlstream.generate.ToyEventSource;
import io.mtlstream.runtime.config.MtlKeys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a pipeline benchmark trains: the model's learner settings and a matching source of events.
 *
 * <ul>
 *   <li>{@code toy} — the demo's GradNorm toy: input 250, trunk 4×100, one regression task per σ
 *       with 100 outputs, events from {@link ToyEventSource};
 *   <li>{@code reference} — {@code bench step}'s reference model: input 64, trunk 256-256, three
 *       tasks (regression, binary, 5-class) with 64-wide towers, events from {@link
 *       RandomEventSource}.
 * </ul>
 *
 * Immutable.
 *
 * @param name {@code toy} or {@code reference}
 * @param sigmas toy task scales (one task each); unused by {@code reference}
 * @param seed seed of the events
 */
public record PipelineWorkload(String name, double[] sigmas, long seed) {

  /** A source of events that may own native memory: close it. */
  public interface Events extends Iterator<LabeledEvent>, AutoCloseable {
    @Override
    void close();
  }

  public PipelineWorkload {
    name = name.toLowerCase(Locale.ROOT);
    if (!name.equals("toy") && !name.equals("reference")) {
      throw new IllegalArgumentException("model must be toy or reference, was '" + name + "'");
    }
    sigmas = sigmas.clone();
  }

  public static PipelineWorkload toy(double... sigmas) {
    return new PipelineWorkload("toy", sigmas, 0);
  }

  public static PipelineWorkload reference() {
    return new PipelineWorkload("reference", new double[0], 0);
  }

  /** The batch size a run uses when none is given: the demo's 100, {@code bench step}'s 256. */
  public int defaultBatch() {
    return isToy() ? 100 : 256;
  }

  /** The model and task settings ({@code mtl.*} keys) of this workload. */
  public Map<String, String> modelSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    List<String> names = taskNames();
    s.put(MtlKeys.TASKS.key(), String.join(",", names));
    if (isToy()) {
      s.put(MtlKeys.MODEL_INPUTS.key(), "250");
      s.put(MtlKeys.MODEL_TRUNK.key(), "100,100,100,100");
      for (String t : names) {
        s.put(MtlKeys.task(t, MtlKeys.TASK_TYPE), "regression");
        s.put(MtlKeys.task(t, MtlKeys.TASK_OUTPUTS), "100");
      }
    } else {
      s.put(MtlKeys.MODEL_INPUTS.key(), "64");
      s.put(MtlKeys.MODEL_TRUNK.key(), "256,256");
      String[] types = {"regression", "binary", "multiclass"};
      String[] outputs = {"1", "1", "5"};
      for (int i = 0; i < names.size(); i++) {
        s.put(MtlKeys.task(names.get(i), MtlKeys.TASK_TYPE), types[i]);
        s.put(MtlKeys.task(names.get(i), MtlKeys.TASK_OUTPUTS), outputs[i]);
        s.put(MtlKeys.task(names.get(i), MtlKeys.TASK_TOWER), "64");
      }
    }
    return s;
  }

  public List<String> taskNames() {
    if (!isToy()) {
      return List.of("reg0", "bin1", "cls2");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < sigmas.length; i++) {
      names.add("task" + i);
    }
    return names;
  }

  /** A new, deterministic source of this workload's events (the same on every call). */
  public Events newSource(Clock clock) {
    if (!isToy()) {
      return new RandomEventSource(
          64,
          List.of(
              new RandomEventSource.Task("reg0", 0),
              new RandomEventSource.Task("bin1", 2),
              new RandomEventSource.Task("cls2", 5)),
          seed,
          clock);
    }
    ToyEventSource toy =
        ToyEventSource.builder()
            .setSigmas(sigmas)
            .optSeed(seed)
            .optTaskNames(taskNames())
            .optClock(clock)
            .build();
    return new Events() {
      @Override
      public boolean hasNext() {
        return toy.hasNext();
      }

      @Override
      public LabeledEvent next() {
        return toy.next();
      }

      @Override
      public void close() {
        toy.close();
      }
    };
  }

  private boolean isToy() {
    return name.equals("toy");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PipelineWorkload w
        && name.equals(w.name)
        && Arrays.equals(sigmas, w.sigmas)
        && seed == w.seed;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(sigmas);
  }

  @Override
  public String toString() {
    return isToy() ? "toy σ=" + Arrays.toString(sigmas) : "reference (64, 256-256, 3 tasks)";
  }
}
