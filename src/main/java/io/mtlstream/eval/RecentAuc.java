package io.mtlstream.eval;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * ROC AUC of the last {@code capacity} (score, label) pairs: a ring buffer, and the Mann–Whitney
 * rank sum (ties share their average rank) computed on demand in O(n log n). Not thread-safe.
 */
final class RecentAuc {

  private final float[] scores;
  private final boolean[] positive;
  private int size;
  private int next;

  RecentAuc(int capacity) {
    this.scores = new float[capacity];
    this.positive = new boolean[capacity];
  }

  void add(float score, boolean isPositive) {
    scores[next] = score;
    positive[next] = isPositive;
    next = (next + 1) % scores.length;
    size = Math.min(size + 1, scores.length);
  }

  /** AUC, or NaN unless both classes are present. */
  double auc() {
    long[] packed = new long[size];
    long positives = 0;
    for (int i = 0; i < size; i++) {
      // Sort by score; the index rides in the low bits so each pair stays identifiable. The key is
      // shifted into signed range so that signed long order equals the unsigned key order.
      packed[i] = ((sortable(scores[i]) ^ 0x80000000L) << 32) | i;
      positives += positive[i] ? 1 : 0;
    }
    long negatives = size - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    Arrays.sort(packed);
    double rankSum = 0;
    int i = 0;
    while (i < size) {
      int j = i;
      while (j + 1 < size && (packed[j + 1] >>> 32) == (packed[i] >>> 32)) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (positive[(int) (packed[k] & 0xffffffffL)]) {
          rankSum += rank;
        }
      }
      i = j + 1;
    }
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /** An unsigned-comparable int with the same order as the float. */
  private static long sortable(float f) {
    int bits = Float.floatToIntBits(f);
    return (bits ^ ((bits >> 31) | 0x80000000)) & 0xffffffffL;
  }

  void write(DataOutput out) throws IOException {
    out.writeInt(size);
    out.writeInt(next);
    for (int i = 0; i < size; i++) {
      out.writeFloat(scores[i]);
      out.writeBoolean(positive[i]);
    }
  }

  void read(DataInput in) throws IOException {
    size = in.readInt();
    next = in.readInt();
    if (size < 0 || size > scores.length || next < 0 || next >= scores.length) {
      throw new IOException("AUC window state does not fit capacity " + scores.length);
    }
    for (int i = 0; i < size; i++) {
      scores[i] = in.readFloat();
      positive[i] = in.readBoolean();
    }
  }
}
