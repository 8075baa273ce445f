package io.mtlstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NativeHeapTrimTest {

  private static boolean trimThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("mtl-native-heap-trim") && t.isAlive());
  }

  @Test
  void shouldDoNothingWhenTurnedOff() {
    try (NativeHeapTrim trim = NativeHeapTrim.start(Duration.ZERO)) {
      assertThat(trim.active()).isFalse();
    }
  }

  @Test
  void shouldTrimOnItsOwnDaemonThreadUntilClosed() {
    NativeHeapTrim trim = NativeHeapTrim.start(Duration.ofMillis(20));
    // glibc Linux on JDK 17.0.9+ has the diagnostic command; elsewhere the trimmer stays inactive.
    if (!trim.active()) {
      assertThat(System.getProperty("os.name")).doesNotContain("Linux");
      return;
    }
    assertThat(trimThreadAlive()).isTrue();
    trim.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !trimThreadAlive());
  }
}
