package io.mtlstream.serve;

import static io.mtlstream.serve.ServeFixtures.jsonArray;
import static io.mtlstream.serve.ServeFixtures.jsonRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.mtlstream.train.MultiTaskLearner;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP API against a model set by the test (no Kafka). */
class ServeServerTest {

  private static final double TOLERANCE = 1e-6;
  private static final int MAX_ROWS = 100;
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(ServeFixtures.CREATED_AT + 5_000), ZoneOffset.UTC);

  private static MultiTaskLearner learner;
  private StaticModels models;
  private ServeServer server;
  private HttpTestClient http;

  @BeforeAll
  static void train() {
    learner = ServeFixtures.learner(ServeFixtures.MIXED);
    ServeFixtures.train(learner, 15, new SplittableRandom(7));
  }

  @AfterAll
  static void closeLearner() {
    learner.close();
  }

  @BeforeEach
  void start() {
    models = new StaticModels("default");
    server =
        ServeServer.builder()
            .setModels(models)
            .optPort(0)
            .optThreads(3)
            .optMaxBodyBytes(64 * 1024)
            .optMaxRows(MAX_ROWS)
            .optClock(CLOCK)
            .build()
            .start();
    http = new HttpTestClient(server.baseUri());
  }

  @AfterEach
  void stop() {
    server.close();
    models.set(null);
  }

  @Test
  void shouldAnswerOneRowWithTheLearnersOwnPredictions() throws Exception {
    models.set(ServeFixtures.served("default", learner));
    float[] x = ServeFixtures.features(new SplittableRandom(1), 8);

    var reply =
        http.post("/predict", "{\"model\":\"default\",\"features\":" + jsonArray(x, 0, 8) + "}");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode json = reply.json();
    assertThat(json.get("model").asText()).isEqualTo("default");
    assertThat(json.get("step").asLong()).isEqualTo(15);
    assertThat(json.get("version").asText()).isEqualTo(models.current("default").get().sha256());
    assertThat(json.get("rows").asInt()).isEqualTo(1);
    JsonNode outputs = json.get("outputs");
    assertThat(outputs.get("price").get("type").asText()).isEqualTo("regression");
    assertClose(outputs.get("price").get("values"), learner.predict(0, x, 1));
    assertThat(outputs.get("click").get("type").asText()).isEqualTo("binary");
    assertThat(outputs.get("click").get("probability").asDouble())
        .isCloseTo(learner.predict(1, x, 1)[0], within(TOLERANCE));
    assertThat(outputs.get("category").get("type").asText()).isEqualTo("multiclass");
    assertClose(outputs.get("category").get("probabilities"), learner.predict(2, x, 1));
  }

  @Test
  void shouldAnswerManyRowsInRequestOrder() throws Exception {
    models.set(ServeFixtures.served("default", learner));
    int rows = 5;
    float[] x = ServeFixtures.features(new SplittableRandom(2), rows * 8);

    var reply = http.post("/predict", "{\"rows\":" + jsonRows(x, rows, 8) + "}");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode outputs = reply.json().get("outputs");
    assertThat(reply.json().get("rows").asInt()).isEqualTo(rows);
    float[] price = learner.predict(0, x, rows);
    float[] click = learner.predict(1, x, rows);
    float[] category = learner.predict(2, x, rows);
    for (int r = 0; r < rows; r++) {
      assertClose(
          outputs.get("price").get("values").get(r),
          java.util.Arrays.copyOfRange(price, 2 * r, 2 * r + 2));
      assertThat(outputs.get("click").get("probability").get(r).asDouble())
          .isCloseTo(click[r], within(TOLERANCE));
      assertClose(
          outputs.get("category").get("probabilities").get(r),
          java.util.Arrays.copyOfRange(category, 3 * r, 3 * r + 3));
    }
  }

  @Test
  void shouldReportTheServedModelWithItsAgeAndFreshness() throws Exception {
    ServedModel served = ServeFixtures.served("default", learner);
    models.set(served);

    var reply = http.get("/model");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode json = reply.json();
    assertThat(json.get("model").asText()).isEqualTo("default");
    assertThat(json.get("version").asText()).isEqualTo(served.sha256());
    assertThat(json.get("step").asLong()).isEqualTo(15);
    assertThat(json.get("inputs").asInt()).isEqualTo(8);
    assertThat(json.get("taskWeights").get("click").asDouble()).isEqualTo(learner.weights()[1]);
    assertThat(json.get("tasks").get(2).get("outputs").asInt()).isEqualTo(3);
    assertThat(json.get("ageSeconds").asDouble()).isEqualTo(5.0);
    assertThat(json.get("freshnessSeconds").asDouble()).isEqualTo(15.0);
    assertThat(http.get("/model?model=default").json()).isEqualTo(json);
  }

  @Test
  void shouldBeLiveAtOnceButReadyOnlyOnceAModelIsLoaded() throws Exception {
    assertThat(http.get("/health/live").status()).isEqualTo(200);
    var notReady = http.get("/health/ready");
    assertThat(notReady.status()).isEqualTo(503);
    assertThat(notReady.json().get("status").asText()).isEqualTo("not_ready");

    models.set(ServeFixtures.served("default", learner));

    var ready = http.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("step").asLong()).isEqualTo(15);
  }

  @Test
  void shouldAnswer503WithRetryAfterUntilAModelIsLoaded() throws Exception {
    var predict = http.post("/predict", "{\"features\":" + jsonArray(new float[8], 0, 8) + "}");
    assertError(predict, 503, "no_model");
    assertThat(predict.raw().headers().firstValue("Retry-After")).hasValue("1");
    assertError(http.get("/model"), 503, "no_model");
  }

  static Stream<Arguments> badPredictions() {
    String eight = jsonArray(new float[8], 0, 8);
    String seven = jsonArray(new float[7], 0, 7);
    String tooMany =
        "{\"rows\":[" + String.join(",", java.util.Collections.nCopies(MAX_ROWS + 1, eight)) + "]}";
    return Stream.of(
        Arguments.of("{not json", 400, "bad_json"),
        Arguments.of("", 400, "bad_request"),
        Arguments.of("[1,2]", 400, "bad_request"),
        Arguments.of("{}", 400, "bad_request"),
        Arguments.of("{\"features\":" + eight + "} trailing", 400, "bad_json"),
        Arguments.of("{\"features\":[1,2,3]}", 400, "wrong_feature_count"),
        Arguments.of("{\"rows\":[" + eight + "," + seven + "]}", 400, "wrong_feature_count"),
        Arguments.of("{\"rows\":[]}", 400, "bad_request"),
        Arguments.of("{\"rows\":[1,2]}", 400, "bad_request"),
        Arguments.of("{\"features\":[1e39,0,0,0,0,0,0,0]}", 400, "non_finite"),
        Arguments.of("{\"features\":[NaN,0,0,0,0,0,0,0]}", 400, "bad_json"),
        Arguments.of("{\"features\":[\"a\",0,0,0,0,0,0,0]}", 400, "bad_request"),
        Arguments.of("{\"features\":[null,0,0,0,0,0,0,0]}", 400, "bad_request"),
        Arguments.of("{\"features\":" + eight + ",\"rows\":[" + eight + "]}", 400, "bad_request"),
        Arguments.of("{\"model\":7,\"features\":" + eight + "}", 400, "bad_request"),
        Arguments.of("{\"model\":\"other\",\"features\":" + eight + "}", 404, "unknown_model"),
        Arguments.of(tooMany, 413, "too_many_rows"));
  }

  @ParameterizedTest
  @MethodSource("badPredictions")
  void shouldAnswerBadPredictionRequestsWithAJsonError(String body, int status, String code)
      throws Exception {
    models.set(ServeFixtures.served("default", learner));

    assertError(http.post("/predict", body), status, code);
    assertThat(
            http.post("/predict", "{\"features\":" + jsonArray(new float[8], 0, 8) + "}").status())
        .isEqualTo(200);
  }

  @Test
  void shouldRefuseBodiesAboveTheLimitWithOrWithoutContentLength() throws Exception {
    models.set(ServeFixtures.served("default", learner));
    byte[] big = ("{\"features\":[" + "0,".repeat(40_000) + "0]}").getBytes();

    assertError(http.post("/predict", new String(big)), 413, "body_too_large");
    var chunked =
        http.send(
            "POST",
            "/predict",
            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
    assertError(chunked, 413, "body_too_large");
  }

  @Test
  void shouldRefuseWrongMethodsAndUnknownPaths() throws Exception {
    var get = http.get("/predict");
    assertError(get, 405, "method_not_allowed");
    assertThat(get.raw().headers().firstValue("Allow")).hasValue("POST");
    assertError(http.post("/model", "{}"), 405, "method_not_allowed");
    assertError(http.get("/nothing"), 404, "not_found");
    assertError(http.get("/predictions"), 404, "not_found");
    assertError(http.get("/health/ready/now"), 404, "not_found");
  }

  @Test
  void shouldExposeRequestMetricsAsPrometheusText() throws Exception {
    models.set(ServeFixtures.served("default", learner));
    http.post("/predict", "{\"features\":" + jsonArray(new float[8], 0, 8) + "}");
    http.post("/predict", "{oops");

    var metrics = http.get("/metrics");

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("mtl_serve_requests_seconds_count{endpoint=\"predict\",outcome=\"success\"} 1")
        .contains(
            "mtl_serve_requests_seconds_count{endpoint=\"predict\",outcome=\"client_error\"} 1")
        .contains("mtl_serve_errors_requests_total{endpoint=\"predict\",reason=\"bad_json\"} 1")
        .contains("mtl_serve_predict_rows_count 1");
  }

  @Test
  void shouldServeConcurrentGoodAndBadRequestsWithoutCrossTalk() throws Exception {
    models.set(ServeFixtures.served("default", learner));
    List<float[]> inputs = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 4; i++) {
      inputs.add(ServeFixtures.features(random, 2 * 8));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        float[] x = inputs.get(w);
        float[] expected = learner.predict(1, x, 2);
        done.add(
            pool.submit(
                () -> {
                  int good = 0;
                  for (int i = 0; i < 40; i++) {
                    var r = http.post("/predict", "{\"rows\":" + jsonRows(x, 2, 8) + "}");
                    JsonNode p = r.json().get("outputs").get("click").get("probability");
                    if (Math.abs(p.get(0).asDouble() - expected[0]) <= TOLERANCE
                        && Math.abs(p.get(1).asDouble() - expected[1]) <= TOLERANCE) {
                      good++;
                    }
                    assertThat(http.post("/predict", "{\"rows\":[[1]]}").status()).isEqualTo(400);
                  }
                  return good;
                }));
      }
      for (Future<Integer> f : done) {
        assertThat(f.get(2, TimeUnit.MINUTES)).isEqualTo(40);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertError(HttpTestClient.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json()).as("JSON error body: %s", reply.body()).isNotNull();
    assertThat(reply.json().get("error").asText()).isEqualTo(code);
    assertThat(reply.json().get("message").asText()).isNotBlank();
  }

  private static void assertClose(JsonNode array, float[] expected) {
    assertThat(array.size()).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(array.get(i).asDouble()).isCloseTo(expected[i], within(TOLERANCE));
    }
  }
}
