package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlidingMaxTest {

  @Test
  void shouldEqualTheBruteForceWindowMaximumAcrossASaveAndRestore() throws IOException {
    int window = 17;
    var random = new Random(42);
    var max = new SlidingMax(window);
    List<Double> seen = new ArrayList<>();
    for (int step = 0; step < 5_000; step++) {
      // Few distinct values so that ties and long monotone runs both occur.
      double v = random.nextInt(8) + (step / 1_000);
      max.push(v);
      seen.add(v);
      double expected =
          seen.subList(Math.max(0, seen.size() - window), seen.size()).stream()
              .mapToDouble(Double::doubleValue)
              .max()
              .orElseThrow();
      assertThat(max.max()).as("step %d", step).isEqualTo(expected);
      if (step == 2_500) {
        var bytes = new ByteArrayOutputStream();
        max.write(new DataOutputStream(bytes));
        max = max.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      }
    }
  }

  @Test
  void shouldBeNaNBeforeTheFirstValue() {
    assertThat(new SlidingMax(3).max()).isNaN();
  }
}
