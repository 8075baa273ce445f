package io.mtlstream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.mtlstream.snapshot.SnapshotManifest;
import io.mtlstream.train.Activation;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreshnessCalculatorTest {

  private static final ModelSpec MODEL =
      new ModelSpec(
          2,
          new int[] {2},
          Activation.RELU,
          List.of(TaskSpec.regression("a", 1), TaskSpec.regression("b", 1)));

  private static SnapshotWatcher.Seen seen(long visible, long a, long b, long newest) {
    SnapshotManifest m =
        SnapshotManifest.builder()
            .setModelId("default")
            .setModel(MODEL)
            .setBalancer("equal")
            .setTaskWeights(1, 1)
            .setStep(1)
            .setCreatedAtMillis(visible)
            .optTrainedEvents(a, b)
            .optNewestEventTimestamp(newest)
            .build();
    return new SnapshotWatcher.Seen(visible, m);
  }

  @Test
  void shouldTakeTheFirstSnapshotWhoseTrainedCountCoversTheEventsOffset() {
    Map<String, long[]> appended = new LinkedHashMap<>();
    appended.put("a", new long[] {100, 110, 120, 130});
    appended.put("b", new long[] {105, 115, 125, 135});
    // The first snapshot has a0, a1, b0, b1 (newest 115); the second all but b3 (newest 130).
    List<SnapshotWatcher.Seen> snapshots = List.of(seen(1000, 2, 2, 115), seen(2000, 4, 3, 130));

    FreshnessCalculator.Result r = FreshnessCalculator.compute(appended, snapshots, 105);

    // a0 (100) is warm-up; b3 is in no snapshot.
    assertThat(r.warmupExcluded()).isEqualTo(1);
    assertThat(r.notIncluded()).isEqualTo(1);
    assertThat(r.included()).isEqualTo(6);
    // 1000-110, 2000-120, 2000-130, 1000-105, 1000-115, 2000-125: 885 890 895 1870 1875 1880
    assertThat(r.freshness().max()).isEqualTo(1880);
    assertThat(r.freshness().at(50)).isEqualTo(895);
    assertThat(r.freshness().at(1)).isEqualTo(885);
    // By timestamps both snapshots count exactly their trained events.
    assertThat(r.snapshotsAgreeing()).isEqualTo(2);
    assertThat(r.maxDisagreement()).isZero();
  }

  @Test
  void shouldReportWhereTheTimestampRuleDisagreesWithTrainedCounts() {
    Map<String, long[]> appended = Map.of("a", new long[] {100, 110}, "b", new long[] {100, 200});
    // b1 (200) was trained before a1 (110): out of timestamp order.
    List<SnapshotWatcher.Seen> snapshots = List.of(seen(1000, 1, 2, 200));

    FreshnessCalculator.Result r = FreshnessCalculator.compute(appended, snapshots, 0);

    assertThat(r.maxDisagreement()).isEqualTo(1);
    assertThat(r.snapshotsAgreeing()).isZero();
    assertThat(r.notIncluded()).isEqualTo(1);
  }

  @Test
  void shouldComputeNearestRankPercentiles() {
    Percentiles p = new Percentiles(new long[] {5, 1, 4, 2, 3, 6, 7, 8, 9, 10});
    assertThat(p.at(50)).isEqualTo(5);
    assertThat(p.at(90)).isEqualTo(9);
    assertThat(p.at(99)).isEqualTo(10);
    assertThat(p.at(100)).isEqualTo(10);
    assertThat(p.max()).isEqualTo(10);
  }
}
