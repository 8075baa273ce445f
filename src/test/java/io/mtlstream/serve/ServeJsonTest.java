package io.mtlstream.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mtlstream.train.MultiTaskLearner;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The server's fast float reader and writer give exactly the values of the JDK's correctly rounded
 * ones: request numbers round to the nearest float32 (ties included), and answers print floats that
 * read back to the same bits.
 */
class ServeJsonTest {

  private final ServeJson json = new ServeJson();

  @Test
  void shouldReadEveryRequestNumberToTheNearestFloat() {
    SplittableRandom random = new SplittableRandom(11);
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      float f = randomFinite(random);
      numbers.add(Float.toString(f));
      numbers.add(new BigDecimal(f).toPlainString());
      if (f == Float.MAX_VALUE) {
        continue;
      }
      // The exact midpoint to the next float up, and a hair either side of it: where a parser
      // that rounds to double first and then to float goes wrong.
      BigDecimal mid =
          new BigDecimal(f).add(new BigDecimal(Math.nextUp(f))).divide(BigDecimal.valueOf(2));
      BigDecimal hair = mid.ulp().scaleByPowerOfTen(-3);
      numbers.add(mid.toString());
      numbers.add(mid.add(hair).toString());
      numbers.add(mid.subtract(hair).toString());
    }
    numbers.addAll(List.of("0", "-0.0", "1e-45", "1.4e-45", "7e-46", "3.4028235e38", "1e-50"));

    int width = 500;
    for (int start = 0; start < numbers.size(); start += width) {
      List<String> row = numbers.subList(start, Math.min(numbers.size(), start + width));
      byte[] body =
          ("{\"features\":[" + String.join(",", row) + "]}").getBytes(StandardCharsets.UTF_8);
      PredictRequest request = PredictRequest.parse(json.factory(), body, 1);
      for (int i = 0; i < row.size(); i++) {
        float expected = Float.parseFloat(row.get(i));
        assertThat(Float.floatToRawIntBits(request.features()[i]))
            .as("%s", row.get(i))
            .isEqualTo(Float.floatToRawIntBits(expected));
      }
    }
  }

  @Test
  void shouldWritePredictionsThatReadBackToTheSameFloats() throws Exception {
    try (MultiTaskLearner learner = ServeFixtures.learner(ServeFixtures.MIXED)) {
      ServedModel served = ServeFixtures.served("default", learner);
      try {
        SplittableRandom random = new SplittableRandom(5);
        int rows = 400;
        float[][] outputs = new float[learner.spec().taskCount()][];
        for (int t = 0; t < outputs.length; t++) {
          outputs[t] = new float[rows * learner.spec().task(t).outputs()];
          for (int i = 0; i < outputs[t].length; i++) {
            outputs[t][i] = randomFinite(random);
          }
        }
        PredictRequest request = new PredictRequest(null, new float[rows * 8], rows, 8, false);

        JsonNode answer =
            new ObjectMapper().readTree(json.predictions(served, request, outputs)).get("outputs");

        float[] price = values(answer.get("price").get("values"));
        float[] click = values(answer.get("click").get("probability"));
        float[] category = values(answer.get("category").get("probabilities"));
        assertThat(price).isEqualTo(outputs[0]);
        assertThat(click).isEqualTo(outputs[1]);
        assertThat(category).isEqualTo(outputs[2]);
      } finally {
        served.retire();
      }
    }
  }

  /** Every value's text read with the JDK's float parser (row arrays flattened). */
  private static float[] values(JsonNode node) {
    List<Float> out = new ArrayList<>();
    flatten(node, out);
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  private static void flatten(JsonNode node, List<Float> out) {
    if (node.isArray()) {
      node.forEach(n -> flatten(n, out));
    } else {
      out.add(Float.parseFloat(node.asText()));
    }
  }

  /** Uniform over finite float bit patterns: every exponent, subnormals included. */
  private static float randomFinite(SplittableRandom random) {
    while (true) {
      float f = Float.intBitsToFloat(random.nextInt());
      if (Float.isFinite(f)) {
        return f;
      }
    }
  }
}
