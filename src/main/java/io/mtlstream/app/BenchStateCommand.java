package io.mtlstream.app;

import io.mtlstream.bench.StateBenchmark;
import io.mtlstream.bench.StateRestoreRun;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mtlstream bench state}: snapshot and learner-state costs against model size, through an
 * embedded broker and a real Kafka Streams restore.
 */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    description =
        "For models of about the given MB of float32 parameters (input 64, trunk w-w, 3 tasks,"
            + " towers 16): snapshot encode, publish until acknowledged, consume + verify; learner"
            + " state serialise and decode; and the restore of the checkpoint store into a fresh"
            + " Kafka Streams instance (wiped state dir) up to its first committed report.")
final class BenchStateCommand implements Callable<Integer> {

  @Option(
      names = "--sizes-mb",
      split = ",",
      defaultValue = "1,10,100",
      description = "parameter MB (10^6 bytes) per model, default ${DEFAULT-VALUE}")
  double[] sizes;

  @Override
  public Integer call() {
    NativeDefaults.threads(false); // the broker and Kafka clients share the machine
    System.out.printf(
        Locale.ROOT,
        "%-6s %6s %11s | %-22s %-22s %-22s | %-22s %-22s | %-22s %9s %9s%n",
        "MB",
        "width",
        "params",
        "snapshot encode",
        "publish (acked)",
        "consume + verify",
        "state serialise",
        "state decode",
        "checkpoint restore",
        "running",
        "1st rep.");
    for (double mb : sizes) {
      StateBenchmark.Result r = StateBenchmark.run(mb);
      StateRestoreRun.Timing t = r.restore();
      System.out.printf(
          Locale.ROOT,
          "%-6s %6d %11d | %-22s %-22s %-22s | %-22s %-22s | %-22s %7.0fms %7.0fms%n",
          trim(mb),
          r.trunkWidth(),
          r.parameters(),
          cell(r.snapshotBytes(), r.encodeMs()),
          cell(r.snapshotBytes(), r.publishMs()),
          cell(r.snapshotBytes(), r.consumeVerifyMs()),
          cell(r.stateBytes(), r.serialiseMs()),
          cell(r.stateBytes(), r.decodeMs()),
          cell(r.stateBytes(), t.restoreMs()) + " " + t.restoredRecords() + "r",
          t.runningMs(),
          t.firstReportMs());
    }
    System.out.println(
        "cells: ms (MB/s); snapshot MB/s over the snapshot bytes, state MB/s over the learner-state"
            + " bytes; restore = the checkpoint store's changelog restore (records restored);"
            + " running / 1st rep. = new instance start to RUNNING / to its first committed report"
            + " (restore, learner decode, one step, commit)");
    return 0;
  }

  private static String cell(long bytes, double ms) {
    return String.format(
        Locale.ROOT,
        "%.0f MB %7.1f ms (%5.0f)",
        bytes / 1e6,
        ms,
        StateBenchmark.Result.megabytesPerSecond(bytes, ms));
  }

  private static String trim(double mb) {
    return mb == Math.rint(mb) ? Long.toString((long) mb) : Double.toString(mb);
  }
}
