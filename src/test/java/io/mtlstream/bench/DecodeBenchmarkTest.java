package io.mtlstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.mtlstream.bench.DecodeBenchmark.Path;
import io.mtlstream.bench.DecodeBenchmark.Timing;
import io.mtlstream.bench.DecodeBenchmark.Wire;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecodeBenchmarkTest {

  @Test
  void shouldTimeEveryWireAndPathAndDecodeTheSameValuesFromBothJsonReaders() {
    List<Timing> timings =
        DecodeBenchmark.run(
            new DecodeBenchmark.Config(1, 3), List.of(DecodePayloads.reference(300)));

    assertThat(timings).hasSize(Wire.values().length * Path.values().length);
    assertThat(timings).allSatisfy(t -> assertThat(t.nanosPerEvent()).isPositive());
    for (Path path : Path.values()) {
      // The checksum sums what each pass decoded: the plain reader and Jackson's must agree.
      assertThat(timing(timings, Wire.JSON, path).checksum())
          .isEqualTo(timing(timings, Wire.JSON_JACKSON, path).checksum())
          .isNotZero();
      assertThat(timing(timings, Wire.BINARY, path).bytesPerEvent())
          .isLessThan(timing(timings, Wire.JSON, path).bytesPerEvent());
    }
  }

  private static Timing timing(List<Timing> timings, Wire wire, Path path) {
    return timings.stream()
        .filter(t -> t.wire() == wire && t.path() == path)
        .findFirst()
        .orElseThrow();
  }
}
