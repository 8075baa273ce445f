package io.mtlstream.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Values on the by-model repartition topic and in the journal: an event record ({@link
 * EventRecordCodec}, first byte 1) or a rejection notice (first byte {@code 'R'}, then the reason
 * code) so that a model's report counts dead-lettered input exactly once, in the same transaction
 * as everything else. Stateless.
 */
final class LearnerInput {

  private static final byte NOTICE = 'R';

  private LearnerInput() {}

  static byte[] rejection(String reasonCode) {
    byte[] code = reasonCode.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[code.length + 1];
    out[0] = NOTICE;
    System.arraycopy(code, 0, out, 1, code.length);
    return out;
  }

  static boolean isRejection(byte[] value) {
    return value.length > 0 && value[0] == NOTICE;
  }

  static String rejectionReason(byte[] value) {
    return new String(Arrays.copyOfRange(value, 1, value.length), StandardCharsets.UTF_8);
  }
}
