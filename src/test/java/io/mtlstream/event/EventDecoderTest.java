package io.mtlstream.event;

import static io.mtlstream.event.Payloads.RECORD_TS;
import static io.mtlstream.event.Payloads.valid;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventDecoderTest {

  @Test
  void shouldDecodeAFullyPopulatedEvent() {
    LabeledEvent e =
        valid(
            "{\"id\":\"e-1\",\"model\":\"eu\",\"features\":[0.1,-2.5,3],"
                + "\"label\":1,\"ts\":1732400000000}",
            "click");

    assertThat(e.id()).isEqualTo("e-1");
    assertThat(e.model()).isEqualTo("eu");
    assertThat(e.task()).isEqualTo("click");
    assertThat(e.features()).containsExactly(0.1f, -2.5f, 3f);
    assertThat(e.label()).containsExactly(1f);
    assertThat(e.timestamp()).isEqualTo(1_732_400_000_000L);
  }

  @Test
  void shouldDefaultModelTimestampAndIdWhenAbsentOrNull() {
    LabeledEvent absent = valid("{\"features\":[1,2,3],\"label\":0.5}", "temp");
    LabeledEvent nulls =
        valid(
            "{\"id\":null,\"model\":null,\"task\":null,\"ts\":null,"
                + "\"features\":[1,2,3],\"label\":0.5}",
            "temp");

    for (LabeledEvent e : new LabeledEvent[] {absent, nulls}) {
      assertThat(e.model()).isEqualTo(EventDecoder.DEFAULT_MODEL).isEqualTo("default");
      assertThat(e.timestamp()).isEqualTo(RECORD_TS);
      assertThat(e.id()).isNull();
      assertThat(e.task()).isEqualTo("temp");
    }
  }

  @Test
  void shouldDecodeScalarRegressionLabelExactly() {
    assertThat(valid("{\"features\":[1,2,3],\"label\":-17.25}", "temp").label())
        .containsExactly(-17.25f);
    // 0.1 parsed straight to float, not via double.
    assertThat(valid("{\"features\":[1,2,3],\"label\":0.1}", "temp").label()).containsExactly(0.1f);
  }

  @Test
  void shouldAcceptOneElementArrayForOneOutputRegression() {
    assertThat(valid("{\"features\":[1,2,3],\"label\":[2.5]}", "temp").label())
        .containsExactly(2.5f);
  }

  @Test
  void shouldDecodeVectorRegressionLabel() {
    assertThat(valid("{\"features\":[1,2,3],\"label\":[12.5,-0.25]}", "price").label())
        .containsExactly(12.5f, -0.25f);
  }

  @Test
  void shouldDecodeBinaryLabelsAsNumbersOrBooleans() {
    assertThat(valid("{\"features\":[1,2,3],\"label\":1}", "click").label()).containsExactly(1f);
    assertThat(valid("{\"features\":[1,2,3],\"label\":0.0}", "click").label()).containsExactly(0f);
    assertThat(valid("{\"features\":[1,2,3],\"label\":true}", "click").label()).containsExactly(1f);
    assertThat(valid("{\"features\":[1,2,3],\"label\":false}", "click").label())
        .containsExactly(0f);
  }

  @Test
  void shouldDecodeMulticlassIndexIncludingIntegralDecimal() {
    assertThat(valid("{\"features\":[1,2,3],\"label\":4}", "cls").label()).containsExactly(4f);
    assertThat(valid("{\"features\":[1,2,3],\"label\":0}", "cls").label()).containsExactly(0f);
    assertThat(valid("{\"features\":[1,2,3],\"label\":2.0}", "cls").label()).containsExactly(2f);
  }

  @Test
  void shouldTakeTaskFromPayloadOnMixedTopic() {
    LabeledEvent e = valid("{\"task\":\"cls\",\"features\":[1,2,3],\"label\":3}", null);

    assertThat(e.task()).isEqualTo("cls");
  }

  @Test
  void shouldAcceptPayloadTaskEqualToTopicTask() {
    assertThat(valid("{\"task\":\"click\",\"features\":[1,2,3],\"label\":1}", "click").task())
        .isEqualTo("click");
  }

  @Test
  void shouldIgnoreUnknownFieldsOfAnyShape() {
    LabeledEvent e =
        valid(
            "{\"source\":{\"app\":\"web\",\"tags\":[1,[2],{}]},\"features\":[1,2,3],"
                + "\"extra\":null,\"label\":1,\"weight\":0.5}",
            "click");

    assertThat(e.features()).containsExactly(1f, 2f, 3f);
  }

  @Test
  void shouldAcceptFieldsInAnyOrderAndWhitespace() {
    LabeledEvent e =
        valid(" {\n \"ts\" : 5 ,\"label\":[1,2],\t\"features\":[ 1e0 , 2E+0,3.0e-0 ]}\n", "price");

    assertThat(e.timestamp()).isEqualTo(5);
    assertThat(e.features()).containsExactly(1f, 2f, 3f);
  }

  @Test
  void shouldBeReusableAcrossThreads() throws Exception {
    Thread[] threads = new Thread[4];
    boolean[] ok = new boolean[threads.length];
    for (int t = 0; t < threads.length; t++) {
      int index = t;
      threads[t] =
          new Thread(
              () -> {
                boolean all = true;
                for (int i = 0; i < 2_000; i++) {
                  String json = "{\"features\":[" + i + "," + index + ",1],\"label\":" + i + "}";
                  LabeledEvent e = valid(json, "temp");
                  all &= e.feature(0) == i && e.feature(1) == index && e.label(0) == i;
                }
                ok[index] = all;
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(ok).containsOnly(true);
  }
}
