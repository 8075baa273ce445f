package io.mtlstream.bench;

import io.mtlstream.event.BinaryEventDecoder;
import io.mtlstream.event.BinaryEventEncoder;
import io.mtlstream.event.Decoded;
import io.mtlstream.event.EventDecoder;
import io.mtlstream.event.EventEncoder;
import io.mtlstream.event.EventSchema;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.stream.EventRecordCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times what the decode stage does per input record, for each event encoding side by side in one
 * process: {@code decode} is {@link EventDecoder#decode} or {@link BinaryEventDecoder#decode}
 * (parse + validation against the schema); {@code record} adds {@link EventRecordCodec#encode} to
 * the internal record, i.e. the whole per-record work of the DecodeProcessor apart from counters
 * and forwarding. Inputs are encoded before timing; every round times one pass over the pool per
 * variant in turn, figures are medians over rounds, and every result feeds a checksum so the JIT
 * cannot drop the work.
 *
 * <p>Stateless; {@link #run} is single-threaded and may be called from any thread.
 */
public final class DecodeBenchmark {

  /** What is timed per record. */
  public enum Path {
    DECODE,
    RECORD
  }

  /** A wire encoding under test. */
  public enum Wire {
    /** JSON read through Jackson's tokens alone, as before the plain reader: the side-by-side. */
    JSON_JACKSON,
    JSON,
    BINARY
  }

  /**
   * Events of one kind, all valid for the schema, read from the task topic of their task.
   *
   * @param label e.g. {@code toy-250}
   */
  public record Payload(String label, EventSchema schema, List<LabeledEvent> events) {
    public Payload {
      if (events.isEmpty()) {
        throw new IllegalArgumentException("a payload needs events");
      }
      events = List.copyOf(events);
    }
  }

  /**
   * @param warmup untimed rounds first (each a pass per variant over the pool)
   * @param rounds timed rounds
   */
  public record Config(int warmup, int rounds) {
    public Config {
      if (warmup < 0 || rounds < 1) {
        throw new IllegalArgumentException("warmup must be >= 0 and rounds >= 1");
      }
    }
  }

  /**
   * Median time per event of one variant.
   *
   * @param bytesPerEvent mean encoded size of the pool's events
   * @param checksum of the results, reported so that they are used
   */
  public record Timing(
      String payload,
      Wire wire,
      Path path,
      double bytesPerEvent,
      double nanosPerEvent,
      long checksum) {

    public double eventsPerSecond() {
      return 1e9 / nanosPerEvent;
    }

    public double megabytesPerSecond() {
      return bytesPerEvent * eventsPerSecond() / 1e6;
    }

    public double microsPerEvent() {
      return nanosPerEvent / 1e3;
    }
  }

  private DecodeBenchmark() {}

  /** The timings of every payload × wire × path, payloads in order, wires in declaration order. */
  public static List<Timing> run(Config config, List<Payload> payloads) {
    List<Timing> out = new ArrayList<>();
    for (Payload p : payloads) {
      out.addAll(run(config, p));
    }
    return out;
  }

  private static List<Timing> run(Config config, Payload p) {
    List<Variant> variants = new ArrayList<>();
    for (Path path : Path.values()) {
      for (Wire wire : Wire.values()) {
        variants.add(new Variant(wire, path, Inputs.of(p, wire)));
      }
    }
    for (Variant v : variants) {
      v.verify(); // a bench of rejections would time the wrong thing
    }
    double[][] nanos = new double[variants.size()][config.rounds()];
    for (int r = -config.warmup(); r < config.rounds(); r++) {
      for (int i = 0; i < variants.size(); i++) {
        Variant v = variants.get(i);
        long start = System.nanoTime();
        v.sink += v.pass();
        double perEvent = (System.nanoTime() - start) / (double) v.inputs.values.length;
        if (r >= 0) {
          nanos[i][r] = perEvent;
        }
      }
    }
    List<Timing> out = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      Variant v = variants.get(i);
      out.add(
          new Timing(p.label(), v.wire, v.path, v.inputs.meanBytes(), median(nanos[i]), v.sink));
    }
    return out;
  }

  /** Pre-encoded record values of one payload in one wire encoding, with the decoder to use. */
  private record Inputs(
      Wire wire,
      EventDecoder json,
      BinaryEventDecoder binary,
      byte[][] values,
      String[] tasks,
      long[] timestamps) {

    static Inputs of(Payload p, Wire wire) {
      int n = p.events().size();
      byte[][] values = new byte[n][];
      String[] tasks = new String[n];
      long[] timestamps = new long[n];
      EventEncoder jsonEncoder = new EventEncoder();
      BinaryEventEncoder binaryEncoder = new BinaryEventEncoder();
      for (int i = 0; i < n; i++) {
        LabeledEvent e = p.events().get(i);
        // As the generator writes them: task included, checked against the topic's task.
        values[i] =
            wire == Wire.BINARY ? binaryEncoder.encode(e, true) : jsonEncoder.encode(e, true);
        tasks[i] = e.task();
        timestamps[i] = e.timestamp();
      }
      return new Inputs(
          wire,
          new EventDecoder(p.schema(), wire == Wire.JSON),
          new BinaryEventDecoder(p.schema()),
          values,
          tasks,
          timestamps);
    }

    Decoded decode(int i) {
      return wire == Wire.BINARY
          ? binary.decode(values[i], tasks[i], timestamps[i])
          : json.decode(values[i], tasks[i], timestamps[i]);
    }

    double meanBytes() {
      return Arrays.stream(values).mapToLong(v -> v.length).average().orElse(0);
    }
  }

  private static final class Variant {
    final Wire wire;
    final Path path;
    final Inputs inputs;
    long sink;

    Variant(Wire wire, Path path, Inputs inputs) {
      this.wire = wire;
      this.path = path;
      this.inputs = inputs;
    }

    void verify() {
      for (int i = 0; i < inputs.values.length; i++) {
        if (inputs.decode(i) instanceof Decoded.Invalid bad) {
          throw new IllegalStateException("benchmark input " + i + " is rejected: " + bad);
        }
      }
    }

    /** One pass over the pool; the result depends on every decoded value it reads. */
    long pass() {
      long sum = 0;
      for (int i = 0; i < inputs.values.length; i++) {
        LabeledEvent e = ((Decoded.Valid) inputs.decode(i)).event();
        if (path == Path.RECORD) {
          byte[] record = EventRecordCodec.encode(e);
          sum += record.length + record[record.length - 1];
        } else {
          sum += e.featureCount() + Float.floatToRawIntBits(e.feature(e.featureCount() - 1));
        }
      }
      return sum;
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
