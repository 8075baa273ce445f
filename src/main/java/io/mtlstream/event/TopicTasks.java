package io.mtlstream.event;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which task each input topic carries. By default task {@code t} is read from {@code mtl.events.t};
 * explicit overrides map other topics to tasks (an override replaces the default topic of its
 * task); an optional shared mixed topic carries every task, named in the payload. Unknown topics
 * are configuration errors and throw. Each topic also has an {@link EventEncoding}: a default for
 * all (JSON unless set), replaced per task (on all of its topics) or for the mixed topic.
 * Immutable, thread-safe.
 */
public final class TopicTasks {

  public static final String DEFAULT_PREFIX = "mtl.events.";

  /** Kafka's legal topic names (kept here: this package does not depend on Kafka). */
  private static final String TOPIC_PATTERN = "[a-zA-Z0-9._-]{1,249}";

  /** Task per topic; the mixed topic maps to "" (task from payload). */
  private final Map<String, String> taskByTopic;

  private final Map<String, EventEncoding> encodingByTopic;

  private TopicTasks(Map<String, String> taskByTopic, Map<String, EventEncoding> encodingByTopic) {
    this.taskByTopic = Collections.unmodifiableMap(taskByTopic);
    this.encodingByTopic = Collections.unmodifiableMap(encodingByTopic);
  }

  /** One topic per task, {@code mtl.events.<task>}, no overrides, no mixed topic. */
  public static TopicTasks defaults(Collection<String> tasks) {
    return builder().setTasks(tasks).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The task of events read from {@code topic}, or null for the mixed topic (task from payload).
   *
   * @throws IllegalArgumentException if the topic is not an input topic
   */
  public String taskOf(String topic) {
    String task = lookup(topic);
    return task.isEmpty() ? null : task;
  }

  /**
   * Whether {@code topic} is the shared mixed topic.
   *
   * @throws IllegalArgumentException if the topic is not an input topic
   */
  public boolean isMixed(String topic) {
    return lookup(topic).isEmpty();
  }

  /**
   * How the record values of {@code topic} are encoded.
   *
   * @throws IllegalArgumentException if the topic is not an input topic
   */
  public EventEncoding encodingOf(String topic) {
    lookup(topic);
    return encodingByTopic.get(topic);
  }

  /** All input topics: per-task topics in task order, then the mixed topic if any. */
  public List<String> topics() {
    return List.copyOf(taskByTopic.keySet());
  }

  private String lookup(String topic) {
    String task = taskByTopic.get(topic);
    if (task == null) {
      throw new IllegalArgumentException(
          "topic '" + topic + "' is not an input topic; inputs: " + taskByTopic.keySet());
    }
    return task;
  }

  @Override
  public String toString() {
    return "TopicTasks" + taskByTopic + encodingByTopic;
  }

  /** Builds a {@link TopicTasks}; not thread-safe. */
  public static final class Builder {
    private final Set<String> tasks = new LinkedHashSet<>();
    private String prefix = DEFAULT_PREFIX;
    private final Map<String, String> overrides = new TreeMap<>();
    private String mixedTopic;
    private EventEncoding encoding = EventEncoding.JSON;
    private final Map<String, EventEncoding> taskEncodings = new TreeMap<>();
    private EventEncoding mixedEncoding;

    private Builder() {}

    /** The tasks to read, in order; required. */
    public Builder setTasks(Collection<String> values) {
      values.forEach(t -> tasks.add(Objects.requireNonNull(t, "task")));
      return this;
    }

    /** Prefix of default per-task topics (default {@code mtl.events.}). */
    public Builder optPrefix(String value) {
      prefix = Objects.requireNonNull(value, "prefix");
      return this;
    }

    /** Reads {@code task} from {@code topic} instead of its default topic. */
    public Builder optOverride(String topic, String task) {
      overrides.put(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(task, "task"));
      return this;
    }

    /** Topic → task overrides, as from configuration. */
    public Builder optOverrides(Map<String, String> topicToTask) {
      topicToTask.forEach(this::optOverride);
      return this;
    }

    /** A shared topic whose events name their task in the payload. */
    public Builder optMixedTopic(String topic) {
      mixedTopic = Objects.requireNonNull(topic, "mixed topic");
      return this;
    }

    /** The encoding of every input topic unless replaced below; default JSON. */
    public Builder optEncoding(EventEncoding value) {
      encoding = Objects.requireNonNull(value, "encoding");
      return this;
    }

    /** The encoding of {@code task}'s topic (its default one, or every override). */
    public Builder optTaskEncoding(String task, EventEncoding value) {
      taskEncodings.put(
          Objects.requireNonNull(task, "task"), Objects.requireNonNull(value, "encoding"));
      return this;
    }

    /** The encoding of the mixed topic. */
    public Builder optMixedEncoding(EventEncoding value) {
      mixedEncoding = Objects.requireNonNull(value, "mixed encoding");
      return this;
    }

    public TopicTasks build() {
      if (tasks.isEmpty()) {
        throw new IllegalStateException("setTasks(...) is required: the tasks to read");
      }
      overrides.forEach(
          (topic, task) -> {
            if (!tasks.contains(task)) {
              throw new IllegalArgumentException(
                  "override " + topic + " -> " + task + " names a task not in " + tasks);
            }
          });
      taskEncodings.keySet().stream()
          .filter(t -> !tasks.contains(t))
          .findFirst()
          .ifPresent(
              t -> {
                throw new IllegalArgumentException(
                    "encoding set for task '" + t + "', which is not in " + tasks);
              });
      Map<String, String> byTopic = new LinkedHashMap<>();
      for (String task : tasks) {
        boolean overridden = false;
        for (Map.Entry<String, String> o : overrides.entrySet()) {
          if (o.getValue().equals(task)) {
            put(byTopic, o.getKey(), task);
            overridden = true;
          }
        }
        if (!overridden) {
          put(byTopic, prefix + task, task);
        }
      }
      if (mixedTopic != null) {
        put(byTopic, mixedTopic, "");
      }
      Map<String, EventEncoding> encodings = new LinkedHashMap<>();
      byTopic.forEach(
          (topic, task) ->
              encodings.put(
                  topic,
                  task.isEmpty()
                      ? (mixedEncoding == null ? encoding : mixedEncoding)
                      : taskEncodings.getOrDefault(task, encoding)));
      return new TopicTasks(byTopic, encodings);
    }

    private static void put(Map<String, String> byTopic, String topic, String task) {
      if (!topic.matches(TOPIC_PATTERN)) {
        throw new IllegalArgumentException(
            "'" + topic + "' is not a legal Kafka topic name (1-249 of [a-zA-Z0-9._-])");
      }
      String previous = byTopic.putIfAbsent(topic, task);
      if (previous != null) {
        throw new IllegalArgumentException(
            "topic '"
                + topic
                + "' would carry both "
                + describe(previous)
                + " and "
                + describe(task));
      }
    }

    private static String describe(String task) {
      return task.isEmpty() ? "the mixed topic" : "task '" + task + "'";
    }
  }
}
