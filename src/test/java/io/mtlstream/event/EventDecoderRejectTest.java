package io.mtlstream.event;

import static io.mtlstream.event.Payloads.invalid;
import static io.mtlstream.event.Payloads.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventDecoderRejectTest {

  private static void assertRejected(
      String json, String topicTask, RejectReason reason, String message) {
    Decoded.Invalid bad = invalid(json, topicTask);
    assertThat(bad.reason()).isEqualTo(reason);
    assertThat(bad.message()).isEqualTo(message);
  }

  @Test
  void shouldRejectOversizedRecordBeforeParsing() {
    var small = EventSchema.builder().setFeatures(3).setTasks(Payloads.SCHEMA.tasks().values());
    var decoder = new EventDecoder(small.optMaxRecordBytes(40).build());
    byte[] value = utf8("{\"features\":[1,2,3],\"label\":1,\"pad\":\"xxxxxxxxxx\"}");

    Decoded d = decoder.decode(value, "click", 0);

    assertThat(d)
        .isEqualTo(
            new Decoded.Invalid(
                RejectReason.OVERSIZED, "record is " + value.length + " bytes, limit 40"));
  }

  @Test
  void shouldRejectNullValueAsMalformed() {
    assertThat(Payloads.DECODER.decode(null, "click", 0))
        .isEqualTo(new Decoded.Invalid(RejectReason.MALFORMED_JSON, "record value is null"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``| expected a JSON object, got end of input",
        "[1,2,3]| expected a JSON object, got an array",
        "{\"features\":[1,2,3],\"label\":1}{}| unexpected an object after the event object",
        "{\"features\":[1,2,3],\"label\":1,\"label\":0}| duplicate field 'label'",
        "{\"features\":\"1,2,3\",\"label\":1}| 'features' must be an array of numbers, got a string",
        "{\"features\":[1,\"2\",3],\"label\":1}| feature[1] is a string, expected a number",
        "{\"model\":7,\"features\":[1,2,3],\"label\":1}| 'model' must be a string, got a number",
        "{\"ts\":\"yesterday\",\"features\":[1,2,3],\"label\":1}|"
            + " 'ts' must be epoch milliseconds (an integer >= 0), got a string",
        "{\"ts\":1.5e12,\"features\":[1,2,3],\"label\":1}|"
            + " 'ts' must be epoch milliseconds (an integer >= 0), got 1.5e12",
      })
  void shouldRejectWrongShapeAsMalformedJson(String json, String message) {
    assertRejected(json, "click", RejectReason.MALFORMED_JSON, message);
  }

  @Test
  void shouldRejectSyntaxErrorsWithJacksonsExplanation() {
    Decoded.Invalid bad = invalid("{\"features\":[1,2,3],\"label\":1", "click");

    assertThat(bad.reason()).isEqualTo(RejectReason.MALFORMED_JSON);
    assertThat(bad.message())
        .startsWith("invalid JSON: Unexpected end-of-input")
        .doesNotContain("\n");
  }

  @Test
  void shouldRejectMissingTaskOnMixedTopic() {
    assertRejected(
        "{\"features\":[1,2,3],\"label\":1}",
        null,
        RejectReason.UNKNOWN_TASK,
        "no 'task' field: required on a mixed topic");
  }

  @Test
  void shouldRejectTaskUnknownToSchema() {
    assertRejected(
        "{\"task\":\"ctr\",\"features\":[1,2,3],\"label\":1}",
        null,
        RejectReason.UNKNOWN_TASK,
        "unknown task 'ctr'; known: [temp, price, click, cls]");
  }

  @Test
  void shouldRejectPayloadTaskThatDiffersFromTopicTask() {
    assertRejected(
        "{\"task\":\"cls\",\"features\":[1,2,3],\"label\":1}",
        "click",
        RejectReason.TASK_MISMATCH,
        "payload task 'cls' differs from topic task 'click'");
  }

  @Test
  void shouldRejectModelsOutsideTheAllowedSet() {
    var restricted =
        EventSchema.builder()
            .setFeatures(3)
            .addTask(TaskSchema.binary("click"))
            .optModels(Set.of("us", "eu"))
            .build();
    var decoder = new EventDecoder(restricted);

    Decoded named =
        decoder.decode(utf8("{\"model\":\"apac\",\"features\":[1,2,3],\"label\":1}"), "click", 0);
    Decoded unnamed = decoder.decode(utf8("{\"features\":[1,2,3],\"label\":1}"), "click", 0);

    assertThat(named)
        .isEqualTo(
            new Decoded.Invalid(
                RejectReason.UNKNOWN_MODEL, "unknown model 'apac'; allowed: [eu, us]"));
    assertThat(unnamed)
        .isEqualTo(
            new Decoded.Invalid(
                RejectReason.UNKNOWN_MODEL, "unknown model 'default'; allowed: [eu, us]"));
  }

  @Test
  void shouldRejectEmptyModelId() {
    assertRejected(
        "{\"model\":\"\",\"features\":[1,2,3],\"label\":1}",
        "click",
        RejectReason.UNKNOWN_MODEL,
        "model id is empty");
  }

  @Test
  void shouldRejectModelIdWithNulCharacter() {
    assertRejected(
        "{\"model\":\"eu\\u0000x\",\"features\":[1,2,3],\"label\":1}",
        "click",
        RejectReason.UNKNOWN_MODEL,
        "model id contains a NUL character");
  }

  @Test
  void shouldRejectMissingOrNullFeatures() {
    assertRejected("{\"label\":1}", "click", RejectReason.MISSING_FEATURES, "no 'features' field");
    assertRejected(
        "{\"features\":null,\"label\":1}",
        "click",
        RejectReason.MISSING_FEATURES,
        "'features' is null");
  }

  @Test
  void shouldAttributeARejectionToItsModelOnlyWhenTheModelIsAllowed() {
    var decoder =
        new EventDecoder(
            EventSchema.builder()
                .setFeatures(2)
                .addTask(TaskSchema.binary("click"))
                .optModels(java.util.List.of("alpha"))
                .build());

    Decoded sameModel = decoder.decode(utf8("{\"model\":\"alpha\",\"features\":[1]}"), "click", 0);
    Decoded otherModel = decoder.decode(utf8("{\"model\":\"beta\",\"features\":[1]}"), "click", 0);
    Decoded malformed = decoder.decode(utf8("{\"model\":\"alpha\""), "click", 0);

    assertThat(((Decoded.Invalid) sameModel).model()).isEqualTo("alpha");
    assertThat(((Decoded.Invalid) otherModel).reason()).isEqualTo(RejectReason.UNKNOWN_MODEL);
    assertThat(((Decoded.Invalid) otherModel).model()).isNull();
    assertThat(((Decoded.Invalid) malformed).model()).isNull();
  }

  @Test
  void shouldRejectWrongFeatureCountBothWays() {
    var wide = new EventDecoder(EventSchema.of(64, TaskSchema.binary("click")));
    String features63 = "0.5,".repeat(62) + "0.5";

    Decoded d = wide.decode(utf8("{\"features\":[" + features63 + "],\"label\":1}"), "click", 0);

    assertThat(d)
        .isEqualTo(
            new Decoded.Invalid(
                RejectReason.WRONG_FEATURE_COUNT, "expected 64 features, got 63", "default"));
    assertRejected(
        "{\"features\":[1,2,3,4,5],\"label\":1}",
        "click",
        RejectReason.WRONG_FEATURE_COUNT,
        "expected 3 features, got 5");
    assertRejected(
        "{\"features\":[],\"label\":1}",
        "click",
        RejectReason.WRONG_FEATURE_COUNT,
        "expected 3 features, got 0");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "[1,NaN,3]| feature[1] is NaN",
        "[1,2,Infinity]| feature[2] is Infinity",
        "[-Infinity,2,NaN]| feature[0] is -Infinity",
        "[1,2,1e39]| feature[2] = 1e39 overflows float",
        "[1,null,3]| feature[1] is null",
      })
  void shouldRejectNonFiniteFeatures(String features, String message) {
    assertRejected(
        "{\"features\":" + features + ",\"label\":1}",
        "click",
        RejectReason.NON_FINITE_FEATURE,
        message);
  }

  @Test
  void shouldRejectMissingOrNullLabel() {
    assertRejected(
        "{\"features\":[1,2,3]}", "click", RejectReason.MISSING_LABEL, "no 'label' field");
    assertRejected(
        "{\"features\":[1,2,3],\"label\":null}",
        "click",
        RejectReason.MISSING_LABEL,
        "'label' is null");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "cls| 7| class 7 out of range [0, 5) for task 'cls'",
        "cls| -1| class -1 out of range [0, 5) for task 'cls'",
        "cls| 2.5| class label must be an integer for task 'cls', got 2.5",
        "cls| 2.0000000001| class label must be an integer for task 'cls', got 2.0000000001",
        "cls| [1]| multiclass task 'cls' expects a class index, got an array",
        "cls| true| multiclass task 'cls' expects a class index, got true",
        "click| 0.5| binary task 'click' expects 0, 1, true or false, got 0.5",
        "click| 2| binary task 'click' expects 0, 1, true or false, got 2",
        "click| [1]| binary task 'click' expects 0, 1, true or false, got an array",
        "click| \"yes\"| label is a string, expected 0, 1, true or false",
        "temp| NaN| label is NaN",
        "temp| 1e39| label = 1e39 overflows float",
        "temp| true| regression task 'temp' expects a number, got true",
        "temp| {\"v\":1}| label is an object, expected a number",
        "price| 3.5| regression task 'price' expects 2 label values, got a number",
        "price| [1,2,3]| regression task 'price' expects 2 label values, got 3",
        "price| [1,-Infinity]| label[1] is -Infinity",
        "price| [1,\"2\"]| label[1] is a string, expected a number",
        "price| [[1],2]| label[0] is an array, expected a number",
      })
  void shouldRejectLabelsThatDoNotFitTheirTask(String task, String label, String message) {
    assertRejected(
        "{\"features\":[1,2,3],\"label\":" + label + "}",
        task,
        RejectReason.INVALID_LABEL,
        message);
  }

  @Test
  void shouldReportTheSameReasonWhateverTheFieldOrder() {
    // Both a bad label and a wrong feature count: the count wins, in either field order.
    assertThat(invalid("{\"label\":9,\"features\":[1,2]}", "cls").reason())
        .isEqualTo(RejectReason.WRONG_FEATURE_COUNT);
    assertThat(invalid("{\"features\":[1,2],\"label\":9}", "cls").reason())
        .isEqualTo(RejectReason.WRONG_FEATURE_COUNT);
    // Routing is judged before content.
    assertThat(invalid("{\"features\":[NaN],\"task\":\"nope\"}", null).reason())
        .isEqualTo(RejectReason.UNKNOWN_TASK);
  }

  @Test
  void shouldKeepMessagesOnOneBoundedLine() {
    String task = "x".repeat(300) + "\n";
    Decoded.Invalid bad = invalid("{\"task\":\"" + task.replace("\n", "\\n") + "\"}", null);

    assertThat(bad.reason()).isEqualTo(RejectReason.UNKNOWN_TASK);
    assertThat(bad.message()).hasSizeLessThanOrEqualTo(200).doesNotContain("\n");
  }
}
