package io.mtlstream.runtime.config;

import java.util.List;

/**
 * Every {@code mtl.*} setting with its default and documentation. Per-task settings use the pattern
 * {@code mtl.task.<name>.<setting>} (see {@link #TASK_TYPE} and neighbours). Keys not starting with
 * {@code mtl.} are Kafka client / Streams settings and pass through unchanged.
 */
public final class MtlKeys {

  public static final ConfigKey MODEL_INPUTS =
      new ConfigKey("mtl.model.inputs", "250", "Feature count of every event.");
  public static final ConfigKey MODEL_TRUNK =
      new ConfigKey("mtl.model.trunk", "100,100,100,100", "Trunk layer widths (shared bottom).");
  public static final ConfigKey MODEL_ACTIVATION =
      new ConfigKey("mtl.model.activation", "relu", "relu, tanh, sigmoid or identity.");
  public static final ConfigKey TASKS =
      new ConfigKey("mtl.tasks", "task0,task1", "Task names, in index order.");
  public static final ConfigKey ALLOW_TASK_REMOVAL =
      new ConfigKey(
          "mtl.tasks.allow.removal",
          "false",
          "Allow a restart to drop tasks the saved learner has (their trained towers are lost).");
  public static final ConfigKey MODELS =
      new ConfigKey(
          "mtl.models", "", "Allowed model ids, comma separated; empty accepts any model id.");
  public static final ConfigKey TOPIC_PREFIX =
      new ConfigKey("mtl.topic.prefix", "mtl.events.", "Per-task input topic prefix.");
  public static final ConfigKey TOPIC_MIXED =
      new ConfigKey(
          "mtl.topic.mixed", "", "Optional shared input topic; its events carry a \"task\" field.");
  public static final ConfigKey TOPIC_MIXED_ENCODING =
      new ConfigKey(
          "mtl.topic.mixed.encoding",
          "",
          "Encoding of the mixed topic: json, binary or auto (empty: mtl.event.encoding).");
  public static final ConfigKey TOPIC_DLQ =
      new ConfigKey("mtl.topic.dlq", "mtl.dlq", "Dead-letter topic for rejected input.");
  public static final ConfigKey TOPIC_METRICS =
      new ConfigKey("mtl.topic.metrics", "mtl.metrics", "Training reports (JSON).");
  public static final ConfigKey TOPIC_SNAPSHOTS =
      new ConfigKey("mtl.topic.snapshots", "mtl.snapshots", "Model snapshots (compacted).");
  public static final ConfigKey TOPIC_PARTITIONS =
      new ConfigKey("mtl.topic.partitions", "1", "Partitions of topics created at start.");
  public static final ConfigKey INPUT_PARTITIONED_BY_MODEL =
      new ConfigKey(
          "mtl.input.partitioned.by.model",
          "false",
          "true: producers key events by model id with Kafka's default partitioner and every input"
              + " topic has the same partition count, so the learner reads them directly, without"
              + " the by-model repartition topic (one broker write and read less per event);"
              + " a record on the wrong partition is dead-lettered (wrong_partition).");
  public static final ConfigKey EVENT_MAX_BYTES =
      new ConfigKey("mtl.event.max.bytes", "1048576", "Larger input records are dead-lettered.");
  public static final ConfigKey EVENT_ENCODING =
      new ConfigKey(
          "mtl.event.encoding",
          "json",
          "Encoding of every input topic: json, binary (docs/EVENT_FORMAT.md) or auto (by the"
              + " first byte); mtl.task.<t>.encoding and mtl.topic.mixed.encoding override it.");
  public static final ConfigKey BATCH_SIZE =
      new ConfigKey("mtl.train.batch.size", "100", "Events per training step.");
  public static final ConfigKey OPTIMIZER =
      new ConfigKey("mtl.train.optimizer", "adam", "adam or sgd.");
  public static final ConfigKey LEARNING_RATE =
      new ConfigKey("mtl.train.learning.rate", "0.001", "Network learning rate.");
  public static final ConfigKey MOMENTUM =
      new ConfigKey("mtl.train.momentum", "0", "SGD momentum.");
  public static final ConfigKey CLIP_NORM =
      new ConfigKey("mtl.train.clip.norm", "0", "Global gradient-norm limit (0 disables).");
  public static final ConfigKey SEED =
      new ConfigKey("mtl.train.seed", "0", "Seed of the initial parameters.");
  public static final ConfigKey DEVICE =
      new ConfigKey("mtl.device", "auto", "auto, cpu, gpu or gpu:N.");
  public static final ConfigKey THREADS =
      new ConfigKey(
          "mtl.threads",
          "",
          "PyTorch intra-op threads; fixed for reproducible runs. Applies when the engine first"
              + " loads. Empty: learn and demo leave one core to the stream thread and Kafka, or"
              + " take every core for a model of 1M parameters or more; an embedded LearnerApp"
              + " keeps libtorch's default of every core.");
  public static final ConfigKey BALANCER =
      new ConfigKey("mtl.balancer", "gradnorm", "gradnorm, equal, uncertainty or dwa.");
  public static final ConfigKey ALPHA =
      new ConfigKey("mtl.gradnorm.alpha", "1.5", "GradNorm asymmetry α in [0, 3).");
  public static final ConfigKey WEIGHT_LR =
      new ConfigKey("mtl.gradnorm.weight.lr", "0.025", "Learning rate of the task weights.");
  public static final ConfigKey REFERENCE =
      new ConfigKey(
          "mtl.gradnorm.reference", "baseline", "Reference loss: baseline, initial, ema or max.");
  public static final ConfigKey REPORT_EVERY =
      new ConfigKey("mtl.report.every.steps", "20", "Training report cadence (steps).");
  public static final ConfigKey SNAPSHOT_EVERY =
      new ConfigKey("mtl.snapshot.every.steps", "200", "Snapshot cadence (steps, 0 = off).");
  public static final ConfigKey SNAPSHOT_EVERY_MS =
      new ConfigKey(
          "mtl.snapshot.every.ms",
          "1000",
          "Also snapshot when event time advanced this much (0 = off): bounds freshness at any rate.");
  public static final ConfigKey BACKGROUND_STEPS =
      new ConfigKey(
          "mtl.train.background.steps",
          "true",
          "true: a training step with nothing to publish or checkpoint runs on a trainer thread"
              + " while the stream thread reads, decodes and journals the next batch (same results,"
              + " bit for bit); false: every step on the stream thread.");
  public static final ConfigKey CHECKPOINT_EVERY =
      new ConfigKey(
          "mtl.checkpoint.every.steps",
          "50",
          "Learner checkpoint cadence; inputs between are journaled.");
  public static final ConfigKey CHECKPOINT_CHUNK_BYTES =
      new ConfigKey(
          "mtl.checkpoint.chunk.bytes",
          "8388608",
          "A checkpoint is stored in chunks of at most this many bytes (under the changelog's"
              + " record limit).");

  public static final ConfigKey QUALITY_HORIZON =
      new ConfigKey(
          "mtl.quality.horizon.events", "2000", "Fading horizon of the prequential quality.");
  public static final ConfigKey QUALITY_AUC_WINDOW =
      new ConfigKey("mtl.quality.auc.window", "2000", "Events in the binary tasks' AUC window.");
  public static final ConfigKey GATE_TOLERANCE =
      new ConfigKey(
          "mtl.gate.tolerance",
          "0.1",
          "Hold a snapshot back when a task's prequential loss rose more than this fraction"
              + " since the last published one (negative disables the gate).");
  public static final ConfigKey GATE_MAX_HOLDS =
      new ConfigKey(
          "mtl.gate.max.holds", "5", "After this many holds in a row, publish anyway (forced).");

  public static final ConfigKey METRICS_PORT =
      new ConfigKey(
          "mtl.metrics.port",
          "9400",
          "Port of the learner's Prometheus endpoint (/metrics, /health); 0 turns it off.");
  public static final ConfigKey NATIVE_TRIM_MS =
      new ConfigKey(
          "mtl.native.trim.ms",
          "5000",
          "Return freed native (malloc) memory to the OS this often (0 = off; skipped when the JVM"
              + " runs with -XX:TrimNativeHeapInterval).");
  public static final ConfigKey METRICS_HOST =
      new ConfigKey(
          "mtl.metrics.host",
          "127.0.0.1",
          "Address the metrics endpoint binds; 0.0.0.0 exposes it beyond this machine.");

  public static final String TASK_TYPE = "type";
  public static final String TASK_OUTPUTS = "outputs";
  public static final String TASK_TOWER = "tower";
  public static final String TASK_TOPIC = "topic";
  public static final String TASK_ENCODING = "encoding";

  public static final List<ConfigKey> ALL =
      List.of(
          MODEL_INPUTS,
          MODEL_TRUNK,
          MODEL_ACTIVATION,
          TASKS,
          ALLOW_TASK_REMOVAL,
          MODELS,
          TOPIC_PREFIX,
          TOPIC_MIXED,
          TOPIC_MIXED_ENCODING,
          TOPIC_DLQ,
          TOPIC_METRICS,
          TOPIC_SNAPSHOTS,
          TOPIC_PARTITIONS,
          INPUT_PARTITIONED_BY_MODEL,
          EVENT_MAX_BYTES,
          EVENT_ENCODING,
          BATCH_SIZE,
          OPTIMIZER,
          LEARNING_RATE,
          MOMENTUM,
          CLIP_NORM,
          SEED,
          DEVICE,
          THREADS,
          BALANCER,
          ALPHA,
          WEIGHT_LR,
          REFERENCE,
          REPORT_EVERY,
          SNAPSHOT_EVERY,
          SNAPSHOT_EVERY_MS,
          BACKGROUND_STEPS,
          CHECKPOINT_EVERY,
          CHECKPOINT_CHUNK_BYTES,
          QUALITY_HORIZON,
          QUALITY_AUC_WINDOW,
          GATE_TOLERANCE,
          GATE_MAX_HOLDS,
          METRICS_PORT,
          METRICS_HOST,
          NATIVE_TRIM_MS);

  private MtlKeys() {}

  /** {@code mtl.task.<task>.<setting>}. */
  public static String task(String task, String setting) {
    return "mtl.task." + task + "." + setting;
  }
}
