package io.mtlstream.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.train.StepResult;
import io.mtlstream.train.TaskType;
import io.mtlstream.train.balance.BalancerReport;
import io.mtlstream.train.nn.TrainingStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The learner's Micrometer meters, per model: training (steps, rejected steps by reason, step time,
 * events trained per task, the model's step), GradNorm's per-task quantities (w_i, L_i, R_i, n_i,
 * G_i, c_i, r_i) and L_grad, prequential quality per task, and publishing (snapshots published,
 * forced and held back by reason, size, encode time, freshness). Tags are bounded: {@code model},
 * {@code task}, {@code reason}. Meter names and units are listed in {@code grafana/README.md}.
 *
 * <p>Dimensionless quantities name their kind as base unit ({@code loss}, {@code norm}, {@code
 * weight}), and the name ends with it, so the Prometheus name does not repeat it. Gauges show the
 * last finite value (NaN until there is one): a task absent from a batch keeps its last loss.
 *
 * <p>Ownership: one instance per {@link LearnerProcessor}; it registers a model's meters when the
 * processor opens the model and removes them on {@link #close()}, so a model that moves to another
 * instance leaves no stale series here. Threading: fed on the stream thread only; the gauges'
 * values are volatile, for the thread that scrapes. Every meter is looked up once, at open.
 */
final class LearnerMetrics implements AutoCloseable {

  private final MeterRegistry registry;
  private final Map<String, ModelMeters> models = new HashMap<>();

  LearnerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the meters of a model this processor now owns (idempotent). */
  ModelMeters open(String model, ModelRuntime runtime) {
    return models.computeIfAbsent(model, m -> new ModelMeters(registry, m, runtime));
  }

  /** The meters of an opened model. */
  ModelMeters of(String model) {
    ModelMeters meters = models.get(model);
    if (meters == null) {
      throw new IllegalStateException("meters of model '" + model + "' were not opened");
    }
    return meters;
  }

  @Override
  public void close() {
    models.values().forEach(m -> m.owned.forEach(registry::remove));
    models.clear();
  }

  /** A gauge's value: written by the stream thread, read by the scraper. */
  private static final class Level {
    private volatile double value = Double.NaN;

    double get() {
      return value;
    }

    /** Keeps the last finite value: NaN means "not in this step", not "unknown again". */
    void set(double v) {
      if (Double.isFinite(v)) {
        value = v;
      }
    }
  }

  /** One model's meters, looked up once. Fed on the stream thread. */
  static final class ModelMeters {

    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> owned = new ArrayList<>();
    private final Counter steps;
    private final Counter backgroundSteps;
    private final Map<String, Counter> rejectedSteps = new HashMap<>();
    private final Timer stepTime;
    private final Counter[] trained;
    private final long[] trainedSeen;
    private final Level gradLoss = new Level();
    private final Level modelSteps = new Level();
    private final Level[] weight;
    private final Level[] loss;
    private final Level[] reference;
    private final Level[] gradNorm;
    private final Level[] weightedNorm;
    private final Level[] target;
    private final Level[] inverseRate;
    private final Level[][] quality; // [task][loss, accuracy, auc, absolute error]
    private final Counter published;
    private final Counter forced;
    private final Counter heldRegressed;
    private final DistributionSummary snapshotSize;
    private final Timer encodeTime;
    private final Timer freshness;

    private ModelMeters(MeterRegistry registry, String model, ModelRuntime runtime) {
      this.registry = registry;
      this.tags = Tags.of("model", model);
      List<String> tasks = new ArrayList<>();
      List<TaskType> types = new ArrayList<>();
      runtime.learner().spec().tasks().forEach(t -> tasks.add(t.name()));
      runtime.learner().spec().tasks().forEach(t -> types.add(t.type()));
      int n = tasks.size();
      steps = counter("mtl.train.steps", "steps", "Training steps applied by this process", tags);
      backgroundSteps =
          counter(
              "mtl.train.background.steps",
              "steps",
              "Of those, steps trained on the trainer thread while the stream thread read on",
              tags);
      modelSteps.set(runtime.learner().steps());
      gauge(
          "mtl.model.steps",
          "steps",
          "The model's training step (all processes)",
          tags,
          modelSteps);
      for (TrainingStep.Rejection r : TrainingStep.Rejection.values()) {
        rejectedStep(r.name().toLowerCase(Locale.ROOT));
      }
      stepTime =
          own(
              Timer.builder("mtl.train.step")
                  .description("Time of one training step (forward, backward, update, balancer)")
                  .tags(tags)
                  .serviceLevelObjectives(buckets(0.001, 60))
                  .register(registry));
      trained = new Counter[n];
      trainedSeen = runtime.learner().counters().trainedEvents();
      gauge("mtl.gradnorm.loss", "loss", "GradNorm's L_grad = sum |G_i - c_i|", tags, gradLoss);
      weight = new Level[n];
      loss = new Level[n];
      reference = new Level[n];
      gradNorm = new Level[n];
      weightedNorm = new Level[n];
      target = new Level[n];
      inverseRate = new Level[n];
      quality = new Level[n][4];
      for (int i = 0; i < n; i++) {
        Tags t = tags.and("task", tasks.get(i));
        trained[i] = counter("mtl.train.events", "events", "Events trained on, per task", t);
        weight[i] = gauge("mtl.task.weight", "weight", "Task weight w_i", t);
        loss[i] = gauge("mtl.task.loss", "loss", "Unweighted task loss L_i, last step", t);
        reference[i] = gauge("mtl.task.reference.loss", "loss", "Reference loss R_i", t);
        gradNorm[i] = gauge("mtl.task.grad.norm", "norm", "Gradient norm n_i (shared layer)", t);
        weightedNorm[i] = gauge("mtl.task.weighted.norm", "norm", "Weighted norm G_i = w_i n_i", t);
        target[i] = gauge("mtl.task.target.norm", "norm", "GradNorm target c_i for G_i", t);
        inverseRate[i] = gauge("mtl.task.inverse.rate", "rate", "Inverse training rate r_i", t);
        quality[i] = qualityGauges(types.get(i), t);
      }
      published = counter("mtl.snapshots.published", "snapshots", "Snapshots published", tags);
      forced =
          counter(
              "mtl.snapshots.forced",
              "snapshots",
              "Snapshots published although a task regressed, after the maximum holds",
              tags);
      heldRegressed = held("regressed");
      snapshotSize =
          own(
              DistributionSummary.builder("mtl.snapshot.size")
                  .description("Encoded snapshot size")
                  .baseUnit("bytes")
                  .tags(tags)
                  .register(registry));
      encodeTime =
          own(
              Timer.builder("mtl.snapshot.encode")
                  .description("Time to copy out, serialise and checksum a snapshot")
                  .tags(tags)
                  .register(registry));
      freshness =
          own(
              Timer.builder("mtl.snapshot.freshness")
                  .description("Event time to the first published snapshot that includes the event")
                  .tags(tags)
                  .serviceLevelObjectives(buckets(0.01, 7200))
                  .register(registry));
    }

    /** After a training step (applied or rejected); {@code trainedEvents} is cumulative. */
    void stepped(StepResult result, long nanos, long[] trainedEvents, boolean background) {
      stepTime.record(nanos, TimeUnit.NANOSECONDS);
      modelSteps.set(result.step());
      if (!result.accepted()) {
        rejectedStep(result.rejection()).increment();
        return;
      }
      steps.increment();
      if (background) {
        backgroundSteps.increment();
      }
      for (int i = 0; i < trained.length; i++) {
        long added = trainedEvents[i] - trainedSeen[i];
        if (added > 0) {
          trained[i].increment(added);
          trainedSeen[i] = trainedEvents[i];
        }
      }
      double[] losses = result.losses();
      BalancerReport b = result.balance();
      set(loss, losses);
      set(weight, b.weights());
      set(reference, b.references());
      set(gradNorm, b.gradNorms());
      set(weightedNorm, b.weightedNorms());
      set(target, b.targets());
      set(inverseRate, b.inverseRates());
      gradLoss.set(b.gradLoss());
    }

    /** After a training report: prequential quality (refreshed at the report cadence). */
    void reported(TrainingReport report) {
      List<String> tasks = report.tasks();
      for (int i = 0; i < tasks.size(); i++) {
        Map<String, Double> q = report.prequential().get(tasks.get(i));
        if (q != null) {
          setQuality(quality[i], q);
        }
      }
    }

    /** A snapshot went out; {@code eventTimes} are the events it is the first to include. */
    void published(int bytes, long encodeNanos, boolean wasForced, long[] eventTimes, long now) {
      published.increment();
      if (wasForced) {
        forced.increment();
      }
      snapshotSize.record(bytes);
      encodeTime.record(encodeNanos, TimeUnit.NANOSECONDS);
      for (long t : eventTimes) {
        freshness.record(Math.max(0, now - t), TimeUnit.MILLISECONDS);
      }
    }

    /** A due snapshot was held back by the quality gate (reason {@code regressed:<task>}). */
    void heldBack(String reason) {
      (reason.startsWith("regressed") ? heldRegressed : held(reason)).increment();
    }

    /**
     * Histogram buckets 1-2-5 per decade from {@code from} to {@code to} seconds: a dozen or two
     * series per timer (Micrometer's default percentile histogram has ~70), fine enough for p50/p99
     * panels.
     */
    private static Duration[] buckets(double from, double to) {
      List<Duration> out = new ArrayList<>();
      for (double decade = from; decade <= to; decade *= 10) {
        for (double f : new double[] {1, 2, 5}) {
          if (decade * f <= to) {
            out.add(Duration.ofNanos(Math.round(decade * f * 1e9)));
          }
        }
      }
      return out.toArray(Duration[]::new);
    }

    private static void set(Level[] levels, double[] values) {
      for (int i = 0; i < levels.length; i++) {
        levels[i].set(values[i]);
      }
    }

    private static void setQuality(Level[] levels, Map<String, Double> q) {
      String[] keys = {"loss", "accuracy", "auc", "mae"};
      for (int k = 0; k < keys.length; k++) {
        Double v = q.get(keys[k]);
        if (levels[k] != null && v != null) {
          levels[k].set(v);
        }
      }
    }

    /** Only the measures that apply to the task's type: loss always, then by type. */
    private Level[] qualityGauges(TaskType type, Tags t) {
      Level[] q = new Level[4];
      q[0] = gauge("mtl.prequential.loss", "loss", "Prequential (test-then-train) loss", t);
      if (type != TaskType.REGRESSION) {
        q[1] = gauge("mtl.prequential.accuracy", "ratio", "Prequential accuracy", t);
      }
      if (type == TaskType.BINARY) {
        q[2] = gauge("mtl.prequential.auc", "ratio", "ROC AUC over the recent window", t);
      }
      if (type == TaskType.REGRESSION) {
        q[3] = gauge("mtl.prequential.absolute.error", "error", "Prequential MAE", t);
      }
      return q;
    }

    private Counter rejectedStep(String reason) {
      return rejectedSteps.computeIfAbsent(
          reason,
          r ->
              counter(
                  "mtl.train.steps.rejected",
                  "steps",
                  "Training steps rejected (model untouched), by reason",
                  tags.and("reason", r)));
    }

    private Counter held(String reason) {
      return counter(
          "mtl.snapshots.held",
          "snapshots",
          "Due snapshots held back by the quality gate, by reason",
          tags.and("reason", reason));
    }

    private Counter counter(String name, String unit, String description, Tags t) {
      return own(
          Counter.builder(name).description(description).baseUnit(unit).tags(t).register(registry));
    }

    private Level gauge(String name, String unit, String description, Tags t) {
      return gauge(name, unit, description, t, new Level());
    }

    private Level gauge(String name, String unit, String description, Tags t, Level level) {
      own(
          Gauge.builder(name, level, Level::get)
              .description(description)
              .baseUnit(unit)
              .tags(t)
              .strongReference(true)
              .register(registry));
      return level;
    }

    private <M extends Meter> M own(M meter) {
      owned.add(meter);
      return meter;
    }
  }
}
