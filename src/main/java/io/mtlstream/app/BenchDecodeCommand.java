package io.mtlstream.app;

import io.mtlstream.bench.DecodeBenchmark;
import io.mtlstream.bench.DecodeBenchmark.Timing;
import io.mtlstream.bench.DecodePayloads;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mtlstream bench decode}: per-record decode cost, JSON and binary side by side. */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description =
        "Times event decoding + validation (decode) and decode + the internal record encoding"
            + " (record: the decode stage's per-record work) for JSON and binary events of the"
            + " toy generator (250 features, 100 labels) and the reference model (64 features),"
            + " interleaved in rounds over pre-encoded events; prints medians.")
final class BenchDecodeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--events", defaultValue = "2000", description = "events per payload pool")
  int events;

  @Option(names = "--rounds", defaultValue = "15", description = "timed passes per variant")
  int rounds;

  @Option(names = "--warmup", defaultValue = "10", description = "untimed passes per variant")
  int warmup;

  @Option(
      names = "--payload",
      split = ",",
      defaultValue = "toy,ref",
      description = "toy (250 features) and/or ref (64 features)")
  List<String> payloads;

  @Override
  public Integer call() {
    if (events < 1 || rounds < 1 || warmup < 0) {
      throw new ParameterException(
          spec.commandLine(), "--events and --rounds must be >= 1, --warmup >= 0");
    }
    List<DecodeBenchmark.Payload> inputs = new ArrayList<>();
    for (String p : payloads) {
      inputs.add(
          switch (p.trim()) {
            case "toy" -> toy();
            case "ref" -> DecodePayloads.reference(events);
            default ->
                throw new ParameterException(
                    spec.commandLine(), "unknown payload '" + p + "': expected toy or ref");
          });
    }
    List<Timing> timings = DecodeBenchmark.run(new DecodeBenchmark.Config(warmup, rounds), inputs);
    print(timings);
    return 0;
  }

  private DecodeBenchmark.Payload toy() {
    NativeDefaults.threads(true); // the toy generator computes its labels with libtorch
    return DecodePayloads.toy(events);
  }

  private void print(List<Timing> timings) {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "%d events per pool, %d warm-up + %d timed rounds, medians; one thread%n",
        events,
        warmup,
        rounds);
    out.printf(
        Locale.ROOT,
        "%-8s %-7s %-12s %9s %10s %12s %9s %9s%n",
        "payload",
        "path",
        "wire",
        "B/event",
        "µs/event",
        "events/s",
        "MB/s",
        "× json");
    for (Timing t : timings) {
      double json = jsonNanos(timings, t);
      out.printf(
          Locale.ROOT,
          "%-8s %-7s %-12s %9.0f %10.2f %12.0f %9.1f %9.2f%n",
          t.payload(),
          t.path().name().toLowerCase(Locale.ROOT),
          t.wire().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          t.bytesPerEvent(),
          t.microsPerEvent(),
          t.eventsPerSecond(),
          t.megabytesPerSecond(),
          json / t.nanosPerEvent());
    }
    long checksum = timings.stream().mapToLong(Timing::checksum).sum();
    out.printf(Locale.ROOT, "(checksum %x)%n", checksum);
    out.flush();
  }

  /** The JSON timing of the same payload and path: the "× json" speed-up baseline. */
  private static double jsonNanos(List<Timing> timings, Timing of) {
    return timings.stream()
        .filter(t -> t.payload().equals(of.payload()) && t.path() == of.path())
        .filter(t -> t.wire() == DecodeBenchmark.Wire.JSON)
        .findFirst()
        .orElseThrow()
        .nanosPerEvent();
  }
}
