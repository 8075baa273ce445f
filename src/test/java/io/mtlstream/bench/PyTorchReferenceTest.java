package io.mtlstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch reference of {@code bench step}. Tests that need torch are skipped where no
 * interpreter imports it (Debian: {@code apt-get install python3-torch}).
 */
class PyTorchReferenceTest {

  private static final Duration DEADLINE = Duration.ofMinutes(3);

  @Test
  void shouldExplainWhyTheReferenceIsUnavailableWhenNoInterpreterExists() {
    String missing = "/nonexistent/mtl-test/python3";

    PyTorchReference.Availability availability = PyTorchReference.locate(List.of(missing));

    assertThat(availability.available()).isFalse();
    assertThat(availability.interpreter()).isNull();
    assertThat(availability.reason()).contains("import torch").contains(missing);
  }

  @Test
  void shouldReportAFailedRunAsUnavailableWithAReason() {
    PyTorchReference.Outcome outcome =
        new PyTorchReference("/nonexistent/mtl-test/python3").run(tiny(DEADLINE));

    assertThat(outcome).isInstanceOf(PyTorchReference.Unavailable.class);
    assertThat(outcome.toString()).startsWith("unavailable: ").contains("cannot run");
  }

  @Test
  void shouldPassTheScriptsSelfTestAgainstTheExactGradNormVectors() {
    PyTorchReference.SelfTest result = torch().selftest(DEADLINE);

    assertThat(result.passed()).as(result.output()).isTrue();
    assertThat(result.output()).contains("\"selftest\": \"pass\"");
  }

  @Test
  void shouldTimeBothVariantsOnATinyRun() {
    PyTorchReference.Outcome outcome = torch().run(tiny(DEADLINE));

    assertThat(outcome).as(outcome.toString()).isInstanceOf(PyTorchReference.Measured.class);
    PyTorchReference.Measured measured = (PyTorchReference.Measured) outcome;
    assertThat(measured.threads()).isEqualTo(1);
    assertThat(measured.timings()).containsOnlyKeys("equal", "gradnorm");
    for (PyTorchReference.Timing t : measured.timings().values()) {
      assertThat(t.msPerStep()).isFinite().isPositive();
      assertThat(t.eventsPerSecond()).isFinite().isPositive();
    }
  }

  @Test
  void shouldKillARunThatOverrunsItsDeadline() {
    // Importing torch alone takes far longer than a millisecond.
    PyTorchReference.Outcome outcome = torch().run(tiny(Duration.ofMillis(1)));

    assertThat(outcome).isInstanceOf(PyTorchReference.Unavailable.class);
    assertThat(outcome.toString()).contains("deadline");
  }

  @Test
  void shouldCountTheSameMatmulFlopsAsTheJavaRows() {
    // Trunk 4·256·64·256 + 6·256·256·256; towers 6·rows·256·64 + 6·rows·64·out (out 1, 1, 5).
    double expected =
        4.0 * 256 * 64 * 256
            + 6.0 * 256 * 256 * 256
            + 6.0 * 256 * 256 * 64
            + 6.0 * 64 * (86 * 1 + 85 * 1 + 85 * 5);

    assertThat(PyTorchReference.stepFlops(StepBenchmark.Config.reference())).isEqualTo(expected);
  }

  private static PyTorchReference.Settings tiny(Duration deadline) {
    return new PyTorchReference.Settings(30, 1, 1, 1, 2, deadline);
  }

  private static PyTorchReference torch() {
    PyTorchReference.Availability availability = PyTorchReference.locate();
    assumeTrue(availability.available(), availability::reason);
    return new PyTorchReference(availability.interpreter());
  }
}
