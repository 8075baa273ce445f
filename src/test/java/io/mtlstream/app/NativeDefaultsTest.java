package io.mtlstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeDefaultsTest {

  @Test
  void shouldLeaveACoreToKafkaForSmallModelsAndTakeEveryCoreForLargeOnes() {
    long toy = 75_600; // the demo's model: 250 inputs, trunk 4×100, two 100-output towers
    long tenMegabytes = 2_561_224; // trunk 3×1024

    assertThat(NativeDefaults.learnerThreads(2, toy)).isEqualTo(1);
    assertThat(NativeDefaults.learnerThreads(8, toy)).isEqualTo(7);
    assertThat(NativeDefaults.learnerThreads(2, tenMegabytes)).isEqualTo(2);
    assertThat(NativeDefaults.learnerThreads(8, tenMegabytes)).isEqualTo(8);
  }

  @Test
  void shouldSwitchAtTheMeasuredSizeAndNeverGoBelowOneThread() {
    long at = NativeDefaults.EVERY_CORE_PARAMETERS;

    assertThat(NativeDefaults.learnerThreads(4, at - 1)).isEqualTo(3);
    assertThat(NativeDefaults.learnerThreads(4, at)).isEqualTo(4);
    assertThat(NativeDefaults.learnerThreads(1, 10)).isEqualTo(1);
  }
}
