package io.mtlstream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PipelineWindowTest {

  @Test
  void shouldCloseABacklogWindowAtTheBacklogsEnd() {
    var backlog = new PipelineThroughput.Window(100, Long.MAX_VALUE, 3000, Duration.ZERO);
    assertThat(backlog.closeAt(100)).isEqualTo(3000);
    assertThat(backlog.closeAt(2900)).isEqualTo(3000);
  }

  @Test
  void shouldCloseALiveWindowItsEventsAfterItOpened() {
    var live = new PipelineThroughput.Window(300, 900, Long.MAX_VALUE, Duration.ofSeconds(240));
    assertThat(live.closeAt(300)).isEqualTo(1200);
    assertThat(live.closeAt(5_000)).isEqualTo(5_900);
  }
}
