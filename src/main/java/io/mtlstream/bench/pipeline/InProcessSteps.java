package io.mtlstream.bench.pipeline;

import io.mtlstream.event.LabeledEvent;
import io.mtlstream.train.LearnerSettings;
import io.mtlstream.train.MiniBatch;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.MultiTaskLearner;
import io.mtlstream.train.TaskRows;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The in-process side of the pipeline ratio: {@link MultiTaskLearner#step} alone on the calling
 * thread, with the learner settings of the pipeline run (model, balancer, optimizer, seed) and
 * mini-batches built from the same workload's events, grouped by task the way the learner groups
 * them. Batches are built before timing; each round times a burst of steps; the figure is the
 * median round. Stateless; the learner lives for one call.
 */
public final class InProcessSteps {

  /** Median and mean ms per step over the rounds, and the events per second of the median. */
  public record Result(double medianMsPerStep, double meanMsPerStep, int batch, int steps) {
    public double eventsPerSecond() {
      return batch / (medianMsPerStep / 1000);
    }
  }

  private InProcessSteps() {}

  public static Result run(
      LearnerSettings settings,
      PipelineWorkload workload,
      int batch,
      int warmupSteps,
      int rounds,
      int burst) {
    List<MiniBatch> pool = batches(settings.model(), workload, batch, 16);
    try (MultiTaskLearner learner = MultiTaskLearner.create(settings)) {
      int next = 0;
      for (int i = 0; i < warmupSteps; i++) {
        learner.step(pool.get(next++ % pool.size()));
      }
      double[] ms = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        for (int i = 0; i < burst; i++) {
          learner.step(pool.get(next++ % pool.size()));
        }
        ms[r] = (System.nanoTime() - start) / 1e6 / burst;
      }
      double mean = Arrays.stream(ms).average().orElse(Double.NaN);
      Arrays.sort(ms);
      double median =
          ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
      return new Result(median, mean, batch, rounds * burst);
    }
  }

  /** {@code count} batches of consecutive workload events, each grouped by task in task order. */
  static List<MiniBatch> batches(ModelSpec spec, PipelineWorkload workload, int batch, int count) {
    List<MiniBatch> out = new ArrayList<>();
    try (PipelineWorkload.Events source = workload.newSource(Clock.systemUTC())) {
      for (int b = 0; b < count; b++) {
        List<List<LabeledEvent>> byTask = new ArrayList<>();
        for (int t = 0; t < spec.taskCount(); t++) {
          byTask.add(new ArrayList<>());
        }
        for (int i = 0; i < batch; i++) {
          LabeledEvent e = source.next();
          byTask.get(spec.indexOf(e.task())).add(e);
        }
        out.add(batch(spec, byTask));
      }
    }
    return out;
  }

  private static MiniBatch batch(ModelSpec spec, List<List<LabeledEvent>> byTask) {
    List<TaskRows> blocks = new ArrayList<>();
    for (int t = 0; t < byTask.size(); t++) {
      List<LabeledEvent> events = byTask.get(t);
      if (events.isEmpty()) {
        continue;
      }
      int width = spec.task(t).labelWidth();
      float[] x = new float[events.size() * spec.inputs()];
      float[] y = new float[events.size() * width];
      for (int r = 0; r < events.size(); r++) {
        events.get(r).copyFeaturesInto(x, r * spec.inputs());
        events.get(r).copyLabelInto(y, r * width);
      }
      blocks.add(new TaskRows(t, events.size(), x, y));
    }
    return new MiniBatch(blocks);
  }
}
