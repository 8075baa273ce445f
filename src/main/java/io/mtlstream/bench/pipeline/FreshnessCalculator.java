package io.mtlstream.bench.pipeline;

import io.mtlstream.snapshot.SnapshotManifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Event → snapshot freshness from what was appended and what became visible; pure arithmetic.
 *
 * <p><b>Included</b> (the primary rule): the k-th event (0-based, offset order) of a task's topic
 * is included in a snapshot whose manifest says the task has {@code trainedEvents > k}. It holds
 * because each task topic has one partition, the learner keeps every partition's order through
 * decoding and the repartition, and a snapshot is taken right after a step, when every event
 * consumed so far is trained. <b>Freshness</b> of an event = visible time of the first snapshot
 * including it − its append time (the record timestamp).
 *
 * <p>The <b>timestamp rule</b> (an event with timestamp ≤ the manifest's {@code
 * newestEventTimestamp} is included) is computed alongside: it is what a consumer without offsets
 * would use, and it is exact only if the learner merges the task topics in timestamp order. The
 * agreement counts snapshots where both rules give the same number of included events.
 */
public final class FreshnessCalculator {

  /**
   * @param freshness offset-rule freshness (ms) of the events after the warm-up that some snapshot
   *     includes; null if none
   * @param byTimestamp timestamp-rule freshness of the same events; null if none
   * @param included events after the warm-up that some snapshot includes
   * @param notIncluded events after the warm-up that no snapshot includes (appended after the last
   *     one's coverage)
   * @param warmupExcluded events appended before the warm-up cut
   * @param snapshotsAgreeing snapshots where both rules count the same included events
   * @param maxDisagreement largest |timestamp-rule count − offset-rule count| over the snapshots
   */
  public record Result(
      Percentiles freshness,
      Percentiles byTimestamp,
      long included,
      long notIncluded,
      long warmupExcluded,
      int snapshots,
      int snapshotsAgreeing,
      long maxDisagreement) {}

  private FreshnessCalculator() {}

  /**
   * @param appended task name → append timestamps of its events in offset order
   * @param snapshots snapshots in the order they became visible
   * @param warmupCutMillis events appended before this are left out of the percentiles
   */
  public static Result compute(
      Map<String, long[]> appended, List<SnapshotWatcher.Seen> snapshots, long warmupCutMillis) {
    List<Long> fresh = new ArrayList<>();
    List<Long> byTs = new ArrayList<>();
    long notIncluded = 0;
    long excluded = 0;
    for (var task : appended.entrySet()) {
      long[] ts = task.getValue();
      int j = 0; // first snapshot that may include event k: trained counts only grow
      for (int k = 0; k < ts.length; k++) {
        while (j < snapshots.size() && trained(snapshots.get(j).manifest(), task.getKey()) <= k) {
          j++;
        }
        if (ts[k] < warmupCutMillis) {
          excluded++;
        } else if (j == snapshots.size()) {
          notIncluded++;
        } else {
          fresh.add(snapshots.get(j).visibleMillis() - ts[k]);
          byTs.add(firstByTimestamp(snapshots, ts[k]) - ts[k]);
        }
      }
    }
    long[] all =
        Arrays.stream(appended.values().toArray(long[][]::new))
            .flatMapToLong(Arrays::stream)
            .sorted()
            .toArray();
    int agreeing = 0;
    long maxDiff = 0;
    for (SnapshotWatcher.Seen s : snapshots) {
      long byOffsets =
          s.manifest().trainedEvents().values().stream().mapToLong(Long::longValue).sum();
      long byStamp = countAtMost(all, s.manifest().newestEventTimestamp());
      long diff = Math.abs(byStamp - byOffsets);
      agreeing += diff == 0 ? 1 : 0;
      maxDiff = Math.max(maxDiff, diff);
    }
    return new Result(
        percentiles(fresh),
        percentiles(byTs),
        fresh.size(),
        notIncluded,
        excluded,
        snapshots.size(),
        agreeing,
        maxDiff);
  }

  private static long trained(SnapshotManifest m, String task) {
    return m.trainedEvents().getOrDefault(task, 0L);
  }

  /**
   * Visible time of the first snapshot whose newest event time is ≥ ts; its successor's if none.
   */
  private static long firstByTimestamp(List<SnapshotWatcher.Seen> snapshots, long ts) {
    for (SnapshotWatcher.Seen s : snapshots) {
      if (s.manifest().newestEventTimestamp() >= ts) {
        return s.visibleMillis();
      }
    }
    return snapshots.get(snapshots.size() - 1).visibleMillis();
  }

  private static long countAtMost(long[] sorted, long limit) {
    int i = Arrays.binarySearch(sorted, limit);
    if (i < 0) {
      return -i - 1;
    }
    while (i + 1 < sorted.length && sorted[i + 1] == limit) {
      i++;
    }
    return i + 1;
  }

  private static Percentiles percentiles(List<Long> values) {
    return values.isEmpty()
        ? null
        : new Percentiles(values.stream().mapToLong(Long::longValue).toArray());
  }
}
