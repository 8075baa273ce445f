package io.mtlstream.train.balance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** Test helpers: balance inputs with every task present, and state round trips. */
final class Inputs {

  private Inputs() {}

  static BalanceInput allPresent(double[] losses, double[] norms, double[] baselines) {
    boolean[] present = new boolean[losses.length];
    Arrays.fill(present, true);
    return new BalanceInput(present, losses, norms, baselines);
  }

  static double[] nans(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  static double[] filled(int n, double value) {
    double[] a = new double[n];
    Arrays.fill(a, value);
    return a;
  }

  static byte[] save(LossBalancer b) throws IOException {
    var bytes = new ByteArrayOutputStream();
    b.writeState(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  static void restore(LossBalancer b, byte[] state) throws IOException {
    b.readState(new DataInputStream(new ByteArrayInputStream(state)));
  }

  static byte[] save(ReferenceLoss r) throws IOException {
    var bytes = new ByteArrayOutputStream();
    r.writeState(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  static void restore(ReferenceLoss r, byte[] state) throws IOException {
    r.readState(new DataInputStream(new ByteArrayInputStream(state)));
  }

  static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }
}
