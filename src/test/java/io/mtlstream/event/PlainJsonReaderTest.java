package io.mtlstream.event;

import static io.mtlstream.event.Payloads.DECODER;
import static io.mtlstream.event.Payloads.RECORD_TS;
import static io.mtlstream.event.Payloads.SCHEMA;
import static io.mtlstream.event.Payloads.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain reader must give every record it accepts exactly the fields Jackson's reader gives, and
 * decline the rest: checked against the Jackson-only decoder on hand-picked and on mutated records,
 * and its numbers against the exactly nearest float (computed with BigDecimal, trusting no parser).
 */
class PlainJsonReaderTest {

  private static final EventDecoder JACKSON = new EventDecoder(SCHEMA, false);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"id\":\"e-1\",\"model\":\"default\",\"features\":[0.1,-2.5,3],\"label\":1,\"ts\":17}",
        " \t\n{ \"features\" : [ 1 , 2.5e3 , -0.0 ] ,\r\n \"label\" : 0 } \n",
        "{\"id\":null,\"model\":null,\"task\":null,\"ts\":null,\"features\":[1,2,3],\"label\":1}",
        "{\"features\":[1,2,3],\"label\":true,\"note\":\"hi\",\"n\":-1.5E-3,\"f\":false,\"z\":null}",
        "{\"features\":[1,2,3],\"label\":false,\"note\":\"x\",\"note\":\"twice is fine unknown\"}",
        "{\"features\":[1E0,2e+0,3E-0],\"label\":[]}",
        "{\"features\":[1,2,3,4,5,6],\"label\":[1,0,1,1,0]}",
        "{\"features\":[],\"label\":null}",
        "{\"features\":null}",
        "{}",
        "{\"model\":\"\",\"task\":\"cls\",\"features\":[1,2,3],\"label\":7}",
        "{\"features\":[1,2,3],\"label\":0.30000001192092896}",
        "{\"features\":[123456789012345678,2,3],\"label\":1}"
      })
  void shouldAcceptPlainRecordsAndReadThemAsJacksonDoes(String json) {
    assertThat(plain(json)).as("accepted: %s", json).isTrue();
    for (String topicTask : new String[] {"click", "price", "temp", null}) {
      assertSameAsJackson(json, topicTask);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"features\":[1,2,3],\"label\":1,\"id\":\"\\u0041\"}", // an escape
        "{\"features\":[1,2,3],\"label\":1,\"id\":\"é\"}", // non-ASCII
        "{\"features\":[NaN,2,3],\"label\":1}",
        "{\"features\":[-Infinity,2,3],\"label\":1}",
        "{\"features\":[null,2,3],\"label\":1}",
        "{\"features\":[01,2,3],\"label\":1}",
        "{\"features\":[-0,2,3],\"label\":1}", // integer -0: Jackson's integer path decides
        "{\"features\":[1.,2,3],\"label\":1}",
        "{\"features\":[.5,2,3],\"label\":1}",
        "{\"features\":[+1,2,3],\"label\":1}",
        "{\"features\":[1e,2,3],\"label\":1}",
        "{\"features\":[1e39,2,3],\"label\":1}", // overflows float
        "{\"features\":[1,2,3],\"label\":1e39}",
        "{\"features\":[1,2,3],\"label\":1234567890123456789}",
        "{\"features\":[1,2,3],\"label\":1,\"features\":[1,2,3]}", // duplicate
        "{\"features\":[1,2,3],\"label\":1,\"extra\":{\"a\":1}}", // nested unknown
        "{\"features\":[1,2,3],\"label\":1,\"extra\":[1]}",
        "{\"features\":[1,2,3],\"label\":1} x",
        "{\"features\":[1,2,3],\"label\":1}{}",
        "{\"features\":[1,2,3],\"label\":1,}",
        "{\"features\":[1,2,3,],\"label\":1}",
        "{\"features\":[1,2,3],\"label\":1",
        "{\"features\":[1,2,3],\"label\":tru}",
        "{\"features\":[1,2,3],\"label\":\"1\"}",
        "{\"features\":[1,2,3],\"label\":1,\"ts\":-5}",
        "{\"features\":[1,2,3],\"label\":1,\"ts\":1.5}",
        "{\"features\":[1,2,3],\"label\":1,\"model\":7}",
        "\uFEFF{\"features\":[1,2,3],\"label\":1}", // byte-order mark
        "[1,2,3]",
        "",
        "   "
      })
  void shouldDeclineWhatOnlyJacksonMayJudge(String json) {
    assertThat(plain(json)).as("declined: %s", json).isFalse();
    for (String topicTask : new String[] {"click", "temp", null}) {
      assertSameAsJackson(json, topicTask);
    }
  }

  @Test
  void shouldDeclineNumbersLongerThanItsLimit() {
    String digits = "1." + "0".repeat(70);
    assertThat(plain("{\"features\":[" + digits + ",2,3],\"label\":1}")).isFalse();
    assertThat(plain("{\"features\":[1,2,3],\"label\":1,\"x\":" + digits + "}")).isFalse();
  }

  @Test
  void shouldReadEveryNumberAsTheNearestFloat() {
    SplittableRandom random = new SplittableRandom(7);
    int checked = 0;
    for (int i = 0; i < 20_000; i++) {
      String text = randomNumber(random, i % 4);
      if (text == null) {
        continue;
      }
      EventScan scan = new EventScan(1);
      assertThat(PlainJsonReader.read(utf8("{\"features\":[" + text + "]}"), scan))
          .as("read %s", text)
          .isTrue();
      assertNearest(text, scan.features[0]);
      checked++;
    }
    assertThat(checked).isGreaterThan(19_000);
  }

  /**
   * Decimals of at most 16 digits whose nearest double lies exactly halfway between two floats,
   * though they do not: converting that double to a float rounds the wrong way for about half of
   * them, so the reader must not take that shortcut.
   */
  @Test
  void shouldNotRoundTwiceWhereTheNearestDoubleIsHalfwayBetweenFloats() {
    SplittableRandom random = new SplittableRandom(3);
    int found = 0;
    int shortcutWrong = 0;
    for (int tries = 0; tries < 2_000_000 && found < 200; tries++) {
      // Positive normal floats of about 1e-6 to 1e30: the reader's fast case covers these decimals.
      float f = Float.intBitsToFloat(((107 + random.nextInt(100)) << 23) | random.nextInt(1 << 23));
      double halfway = ((double) f + Math.nextUp(f)) / 2; // exact: floats have 24 bits
      BigDecimal decimal = new BigDecimal(halfway).round(new MathContext(16));
      if (decimal.unscaledValue().compareTo(BigInteger.ONE.shiftLeft(53)) >= 0
          || Double.parseDouble(decimal.toString()) != halfway
          || decimal.compareTo(new BigDecimal(halfway)) == 0) {
        continue;
      }
      String text = decimal.toString();
      EventScan scan = new EventScan(1);
      assertThat(PlainJsonReader.read(utf8("{\"features\":[" + text + "]}"), scan)).isTrue();
      assertNearest(text, scan.features[0]);
      if ((float) halfway != scan.features[0]) {
        shortcutWrong++;
      }
      found++;
    }
    assertThat(found).isEqualTo(200);
    assertThat(shortcutWrong).isGreaterThan(50);
  }

  @Test
  void shouldAgreeWithJacksonOnMutatedRecords() {
    List<String[]> bases =
        List.of(
            new String[] {
              "{\"id\":\"e-1\",\"model\":\"default\",\"features\":[0.1,-2.5,3],\"label\":1,"
                  + "\"ts\":1732400000000}",
              "click"
            },
            new String[] {
              "{\"features\":[1e-3, 2E+2 ,-0.0],\"label\":[12.5,-0.25],\"extra\":\"x\",\"n\":null}",
              "price"
            },
            new String[] {"{\"task\":\"cls\",\"features\":[1,2,3],\"label\":4}", null},
            new String[] {"{\"features\":[7,8,9],\"label\":true,\"model\":\"default\"}", "click"},
            new String[] {"{\"label\":0.5,\"features\":[3.4028235E38,1.4E-45,-1]}", "temp"});
    String pool = "{}[],:\"\\-+.eE0123456789 \n\tnultrfasNIé\u0000x";
    SplittableRandom random = new SplittableRandom(11);
    int accepted = 0;
    int declined = 0;
    for (int i = 0; i < 30_000; i++) {
      String[] base = bases.get(random.nextInt(bases.size()));
      StringBuilder json = new StringBuilder(base[0]);
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        mutate(json, random, pool);
      }
      String text = json.toString();
      if (plain(text)) {
        accepted++;
      } else {
        declined++;
      }
      assertSameAsJackson(text, base[1]);
    }
    // Both sides of the split must be exercised for the comparison to mean anything.
    assertThat(accepted).isGreaterThan(2_000);
    assertThat(declined).isGreaterThan(2_000);
  }

  private static void mutate(StringBuilder json, SplittableRandom random, String pool) {
    if (json.length() == 0) {
      json.append(pool.charAt(random.nextInt(pool.length())));
      return;
    }
    int at = random.nextInt(json.length());
    char c = pool.charAt(random.nextInt(pool.length()));
    switch (random.nextInt(5)) {
      case 0 -> json.deleteCharAt(at);
      case 1 -> json.insert(at, c);
      case 2 -> json.setCharAt(at, c);
      case 3 -> {
        int end = Math.min(json.length(), at + 1 + random.nextInt(12));
        json.insert(at, json.substring(at, end));
      }
      default -> json.setLength(at);
    }
  }

  /** A JSON number of one of four kinds, or null when the kind drew a non-finite float. */
  private static String randomNumber(SplittableRandom random, int kind) {
    return switch (kind) {
      case 0 -> finite(Float.toString(Float.intBitsToFloat(random.nextInt())));
      case 1 ->
          finite(
              Double.toString(
                  random.nextDouble(-1e6, 1e6) * Math.pow(10, -40 + random.nextInt(70))));
      case 2 -> Long.toString(random.nextLong(-999_999_999_999_999_999L, 999_999_999_999_999_999L));
      default -> {
        // 1 to 18 digits, a point anywhere, an exponent that may push it past the fast case.
        String digits =
            Long.toString(1 + random.nextLong((long) Math.pow(10, 1 + random.nextInt(18))));
        int point = 1 + random.nextInt(digits.length());
        String number = digits.substring(0, point) + "." + digits.substring(point) + "0";
        yield finite((random.nextBoolean() ? "-" : "") + number + "e" + (random.nextInt(80) - 45));
      }
    };
  }

  private static String finite(String text) {
    return text.contains("N") || text.contains("I") || overflows(text) ? null : text;
  }

  private static boolean overflows(String text) {
    return new BigDecimal(text).abs().compareTo(new BigDecimal(Float.MAX_VALUE)) > 0;
  }

  /** {@code f} is the float nearest to the decimal, ties to even, with the decimal's sign. */
  private static void assertNearest(String text, float f) {
    BigDecimal x = new BigDecimal(text);
    BigDecimal error = x.subtract(new BigDecimal(f)).abs();
    for (float neighbour : new float[] {Math.nextUp(f), Math.nextDown(f)}) {
      if (Float.isInfinite(neighbour)) {
        continue;
      }
      int closer = error.compareTo(x.subtract(new BigDecimal(neighbour)).abs());
      assertThat(closer)
          .as("%s read as %s, but %s is nearer", text, f, neighbour)
          .isLessThanOrEqualTo(0);
      if (closer == 0) {
        assertThat(Float.floatToRawIntBits(f) & 1).as("%s: a tie goes to even", text).isZero();
      }
    }
    boolean negative = text.startsWith("-");
    assertThat(Float.floatToRawIntBits(f) < 0).as("sign of %s", text).isEqualTo(negative);
  }

  private static boolean plain(String json) {
    return PlainJsonReader.read(json.getBytes(StandardCharsets.UTF_8), new EventScan(3));
  }

  private static void assertSameAsJackson(String json, String topicTask) {
    Decoded plain = DECODER.decode(utf8(json), topicTask, RECORD_TS);
    Decoded jackson = JACKSON.decode(utf8(json), topicTask, RECORD_TS);
    assertThat(plain).as("%s on topic task %s", json, topicTask).isEqualTo(jackson);
  }
}
