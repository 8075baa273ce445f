package io.mtlstream.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One training report of one model, as published to the metrics topic (JSON via {@link
 * TrainingReportCodec}) and mirrored by the Micrometer meters. Immutable and thread-safe.
 *
 * <p>Task order is the order of {@link #events()}; every other per-task map must have exactly its
 * tasks and is stored in that order, so the JSON is deterministic. Per-task doubles are NaN where a
 * quantity does not apply (a task absent since the last report, a balancer without that notion,
 * warm-up). Rejection reasons are sorted by name.
 *
 * @param model model id
 * @param step accepted training steps so far
 * @param events task → events trained so far (cumulative)
 * @param weights task → w_i after the last accepted step
 * @param losses task → <b>mean</b> unweighted loss L_i over the accepted steps since the previous
 *     report in which the task had events (NaN if none): averaged rather than last, because a
 *     single mini-batch loss is noisy and reports are sparser than steps
 * @param gradNorms task → ‖∇_W L_i‖ at the last accepted step
 * @param inverseRates task → r_i at the last accepted step
 * @param references task → reference loss R_i at the last accepted step
 * @param targets task → GradNorm target c_i at the last accepted step
 * @param gradLoss GradNorm's L_grad at the last accepted step
 * @param stepsPerSecond accepted steps per second since the previous report
 * @param eventsPerSecond events trained per second since the previous report
 * @param rejected reason → count so far: events dead-lettered by validation reason code and
 *     training steps rejected by the learner (e.g. {@code non_finite_loss}); cumulative
 * @param ts report time, epoch millis
 * @param prequential task → prequential (test-then-train) quality: {@code events}, {@code loss},
 *     {@code accuracy}, {@code auc}, {@code mae} (NaN where not applicable); empty if not computed
 * @param snapshots snapshot gate counts so far: {@code published}, {@code held_back}, and {@code
 *     held_back.<reason>} per reason (e.g. {@code held_back.regressed:price}); empty if none
 */
public record TrainingReport(
    String model,
    long step,
    Map<String, Long> events,
    Map<String, Double> weights,
    Map<String, Double> losses,
    Map<String, Double> gradNorms,
    Map<String, Double> inverseRates,
    Map<String, Double> references,
    Map<String, Double> targets,
    double gradLoss,
    double stepsPerSecond,
    double eventsPerSecond,
    Map<String, Long> rejected,
    long ts,
    Map<String, Map<String, Double>> prequential,
    Map<String, Long> snapshots) {

  public TrainingReport {
    Objects.requireNonNull(model, "model");
    require(!model.isBlank(), "model must not be blank");
    require(step >= 0, "step must be >= 0, got " + step);
    events =
        Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(events, "events")));
    events.forEach((t, n) -> require(n != null && n >= 0, "events of '" + t + "' is " + n));
    List<String> tasks = List.copyOf(events.keySet());
    weights = inTaskOrder(weights, tasks, "weights");
    losses = inTaskOrder(losses, tasks, "losses");
    gradNorms = inTaskOrder(gradNorms, tasks, "gradNorms");
    inverseRates = inTaskOrder(inverseRates, tasks, "inverseRates");
    references = inTaskOrder(references, tasks, "references");
    targets = inTaskOrder(targets, tasks, "targets");
    require(!(stepsPerSecond < 0), "stepsPerSecond must be >= 0 or NaN, got " + stepsPerSecond);
    require(!(eventsPerSecond < 0), "eventsPerSecond must be >= 0 or NaN, got " + eventsPerSecond);
    rejected =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(new TreeMap<>(Objects.requireNonNull(rejected, "rejected"))));
    rejected.forEach((r, n) -> require(n != null && n >= 0, "rejected '" + r + "' is " + n));
    require(ts >= 0, "ts must be >= 0, got " + ts);
    var q = new LinkedHashMap<String, Map<String, Double>>();
    Objects.requireNonNull(prequential, "prequential")
        .forEach((task, m) -> q.put(task, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
    prequential = Collections.unmodifiableMap(q);
    snapshots =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(new TreeMap<>(Objects.requireNonNull(snapshots, "snapshots"))));
  }

  /** A report without prequential quality or snapshot gate counts. */
  public TrainingReport(
      String model,
      long step,
      Map<String, Long> events,
      Map<String, Double> weights,
      Map<String, Double> losses,
      Map<String, Double> gradNorms,
      Map<String, Double> inverseRates,
      Map<String, Double> references,
      Map<String, Double> targets,
      double gradLoss,
      double stepsPerSecond,
      double eventsPerSecond,
      Map<String, Long> rejected,
      long ts) {
    this(
        model,
        step,
        events,
        weights,
        losses,
        gradNorms,
        inverseRates,
        references,
        targets,
        gradLoss,
        stepsPerSecond,
        eventsPerSecond,
        rejected,
        ts,
        Map.of(),
        Map.of());
  }

  /** The tasks in report order. */
  public List<String> tasks() {
    return List.copyOf(events.keySet());
  }

  /** Per-task values keyed by task name, in task order; a helper for building reports. */
  public static Map<String, Double> byTask(List<String> tasks, double[] values) {
    require(tasks.size() == values.length, "need one value per task " + tasks);
    var map = new LinkedHashMap<String, Double>();
    for (int i = 0; i < values.length; i++) {
      map.put(tasks.get(i), values[i]);
    }
    return map;
  }

  /** Per-task counts keyed by task name, in task order; a helper for building reports. */
  public static Map<String, Long> byTask(List<String> tasks, long[] values) {
    require(tasks.size() == values.length, "need one value per task " + tasks);
    var map = new LinkedHashMap<String, Long>();
    for (int i = 0; i < values.length; i++) {
      map.put(tasks.get(i), values[i]);
    }
    return map;
  }

  private static Map<String, Double> inTaskOrder(
      Map<String, Double> values, List<String> tasks, String what) {
    Objects.requireNonNull(values, what);
    require(
        values.size() == tasks.size() && values.keySet().containsAll(tasks),
        what + " must have exactly the tasks " + tasks + ", got " + values.keySet());
    var ordered = new LinkedHashMap<String, Double>();
    for (String t : tasks) {
      ordered.put(t, Objects.requireNonNull(values.get(t), what + " of '" + t + "'"));
    }
    return Collections.unmodifiableMap(ordered);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("training report: " + message);
    }
  }
}
