package io.mtlstream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.mtlstream.train.nn.Devices;
import org.junit.jupiter.api.Test;

class DevicesTest {

  @Test
  void shouldResolveCpuAndAutoWithoutAGpu() {
    assertThat(Devices.select("cpu")).isEqualTo(Device.cpu());
    Device expected = Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
    assertThat(Devices.select("auto")).isEqualTo(expected);
    assertThat(Devices.select(null)).isEqualTo(expected);
  }

  @Test
  void shouldExplainAMissingGpuAndABadValue() {
    int gpus = Engine.getInstance().getGpuCount();
    assertThatThrownBy(() -> Devices.select("gpu:" + gpus))
        .hasMessageContaining("sees " + gpus + " GPU(s)");
    assertThatThrownBy(() -> Devices.select("tpu")).hasMessageContaining("auto, cpu, gpu or gpu:N");
    assertThatThrownBy(() -> Devices.select("gpu:x")).hasMessageContaining("bad GPU index");
  }
}
