package io.mtlstream.stream;

import io.mtlstream.metrics.TrainingReport;
import io.mtlstream.train.MultiTaskLearner;
import io.mtlstream.train.StepResult;
import io.mtlstream.train.balance.BalancerReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Accumulates what a training report covers between two reports: mean task losses over accepted
 * steps, the last balancer report, step and event rates. Rates use the wall clock; nothing here
 * feeds back into training. Not thread-safe.
 */
final class ReportBuilder {

  private final String modelId;
  private final MultiTaskLearner learner;
  private final Clock clock;
  private final List<String> tasks = new ArrayList<>();
  private final double[] lossSum;
  private final int[] lossCount;
  private BalancerReport last;
  private long lastReportMillis;
  private long stepsSince;
  private long eventsSince;

  ReportBuilder(String modelId, MultiTaskLearner learner, Clock clock) {
    this.modelId = modelId;
    this.learner = learner;
    this.clock = clock;
    learner.spec().tasks().forEach(t -> tasks.add(t.name()));
    this.lossSum = new double[tasks.size()];
    this.lossCount = new int[tasks.size()];
    this.lastReportMillis = clock.millis();
  }

  void observe(StepResult result, int events) {
    if (!result.accepted()) {
      return;
    }
    double[] losses = result.losses();
    for (int i = 0; i < losses.length; i++) {
      if (!Double.isNaN(losses[i])) {
        lossSum[i] += losses[i];
        lossCount[i]++;
      }
    }
    last = result.balance();
    stepsSince++;
    eventsSince += events;
  }

  TrainingReport build(
      Map<String, Long> rejected,
      Map<String, Map<String, Double>> prequential,
      Map<String, Long> snapshots) {
    long now = clock.millis();
    double seconds = Math.max(1e-3, (now - lastReportMillis) / 1000.0);
    int t = tasks.size();
    double[] losses = new double[t];
    for (int i = 0; i < t; i++) {
      losses[i] = lossCount[i] == 0 ? Double.NaN : lossSum[i] / lossCount[i];
    }
    BalancerReport b = last != null ? last : BalancerReport.weightsOnly(learner.weights());
    TrainingReport report =
        new TrainingReport(
            modelId,
            learner.steps(),
            TrainingReport.byTask(tasks, learner.counters().trainedEvents()),
            TrainingReport.byTask(tasks, learner.weights()),
            TrainingReport.byTask(tasks, losses),
            TrainingReport.byTask(tasks, b.gradNorms()),
            TrainingReport.byTask(tasks, b.inverseRates()),
            TrainingReport.byTask(tasks, b.references()),
            TrainingReport.byTask(tasks, b.targets()),
            b.gradLoss(),
            stepsSince / seconds,
            eventsSince / seconds,
            rejected,
            now,
            prequential,
            snapshots);
    Arrays.fill(lossSum, 0);
    Arrays.fill(lossCount, 0);
    stepsSince = 0;
    eventsSince = 0;
    lastReportMillis = now;
    return report;
  }
}
