package io.mtlstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.mtlstream.snapshot.Snapshot;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learner rebuilt from nothing but its state stores — a checkpoint plus a journal of several
 * chunks, the last one partly filled, and a partly filled batch — continues bit-identically.
 */
class JournalReplayTopologyTest {

  @Test
  void shouldResumeBitIdenticallyFromACheckpointAndAChunkedJournal(@TempDir Path dir) {
    // batch 12, a report and a snapshot every step, a checkpoint every 10 steps
    StreamSettings settings = TestStreams.settings(12, 1, 1, 10);
    List<byte[]> events = TestStreams.events(400);
    int cut = 125 + 2 * JournalChunk.DEFAULT_MAX_RECORDS + 5; // after the step-10 checkpoint

    Snapshot uninterrupted;
    try (TopologyTestDriver driver = TestStreams.driver(settings, dir.resolve("whole"))) {
      TestStreams.pipe(driver, events, 0, events.size());
      uninterrupted = TestStreams.lastSnapshot(driver, settings);
    }

    TestStreams.LearnerStores stopped;
    try (TopologyTestDriver driver = TestStreams.driver(settings, dir.resolve("before"))) {
      TestStreams.pipe(driver, events, 0, cut);
      stopped = TestStreams.LearnerStores.of(driver);
    }
    assertThat(stopped.journal()).hasSizeGreaterThan(2);
    assertThat(stopped.journaledRecords()).isEqualTo(cut - 120);

    try (TopologyTestDriver driver = TestStreams.driver(settings, dir.resolve("after"))) {
      stopped.restoreInto(driver);
      TestStreams.pipe(driver, events, cut, events.size());
      Snapshot resumed = TestStreams.lastSnapshot(driver, settings);

      TestStreams.assertSameModel(resumed, uninterrupted);
      // the journal after the restart holds exactly the inputs since the last checkpoint
      int since = events.size() - 360; // checkpoints at 120, 240 and 360 events
      assertThat(TestStreams.LearnerStores.of(driver).journaledRecords()).isEqualTo(since);
    }
  }
}
