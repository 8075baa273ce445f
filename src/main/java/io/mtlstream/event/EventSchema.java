package io.mtlstream.event;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the decoder accepts for one deployment: the feature count, the tasks and their labels, the
 * allowed model ids and the record size limit. Immutable, thread-safe.
 *
 * @param features feature values per event (≥ 1)
 * @param tasks the tasks by name, in declaration order; every key equals its task's name
 * @param models allowed model ids; empty means any non-empty model id is accepted
 * @param maxRecordBytes largest record value accepted, in bytes (default 1 MiB, Kafka's default
 *     {@code max.message.bytes})
 */
public record EventSchema(
    int features, Map<String, TaskSchema> tasks, Set<String> models, int maxRecordBytes) {

  public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

  public EventSchema {
    if (features < 1) {
      throw new IllegalArgumentException("features must be >= 1, got " + features);
    }
    Objects.requireNonNull(tasks, "tasks");
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("an event schema needs at least one task");
    }
    tasks.forEach(
        (name, task) -> {
          if (task == null || !task.name().equals(name)) {
            throw new IllegalArgumentException(
                "tasks map key '" + name + "' must equal its task's name, got " + task);
          }
        });
    // Insertion order is kept so that messages and iteration follow the configuration.
    tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    Objects.requireNonNull(models, "models");
    for (String m : models) {
      if (m == null || m.isEmpty()) {
        throw new IllegalArgumentException("model ids must be non-empty, got " + models);
      }
    }
    // Sorted, so that "allowed: [...]" in reject messages is stable.
    models = Collections.unmodifiableSet(new TreeSet<>(models));
    if (maxRecordBytes < 2) {
      throw new IllegalArgumentException("maxRecordBytes must be >= 2, got " + maxRecordBytes);
    }
  }

  /** Any model id, 1 MiB records. */
  public static EventSchema of(int features, TaskSchema... tasks) {
    return builder().setFeatures(features).setTasks(List.of(tasks)).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The named task, or null when the schema has no such task. */
  public TaskSchema task(String name) {
    return tasks.get(name);
  }

  /** Whether events may name this model id. */
  public boolean allowsModel(String model) {
    return !model.isEmpty()
        && model.indexOf('\0') < 0
        && (models.isEmpty() || models.contains(model));
  }

  /** Builds an {@link EventSchema}; not thread-safe. */
  public static final class Builder {
    private int features;
    private final Map<String, TaskSchema> tasks = new LinkedHashMap<>();
    private Set<String> models = Set.of();
    private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;

    private Builder() {}

    public Builder setFeatures(int value) {
      features = value;
      return this;
    }

    /** Adds tasks; names must be unique. */
    public Builder setTasks(Collection<TaskSchema> values) {
      values.forEach(this::addTask);
      return this;
    }

    public Builder addTask(TaskSchema task) {
      Objects.requireNonNull(task, "task");
      if (tasks.putIfAbsent(task.name(), task) != null) {
        throw new IllegalArgumentException("duplicate task name '" + task.name() + "'");
      }
      return this;
    }

    /** Restricts model ids to these; by default any model id is accepted. */
    public Builder optModels(Collection<String> values) {
      models = Set.copyOf(values);
      return this;
    }

    public Builder optMaxRecordBytes(int value) {
      maxRecordBytes = value;
      return this;
    }

    public EventSchema build() {
      if (features == 0) {
        throw new IllegalStateException("setFeatures(n) is required: the model's input width");
      }
      if (tasks.isEmpty()) {
        throw new IllegalStateException("at least one task is required: addTask(...)");
      }
      return new EventSchema(features, tasks, models, maxRecordBytes);
    }
  }
}
