package io.mtlstream.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mtlstream.app.GenerateCommand;
import io.mtlstream.event.BinaryEventDecoder;
import io.mtlstream.event.Decoded;
import io.mtlstream.event.EventDecoder;
import io.mtlstream.event.EventSchema;
import io.mtlstream.event.LabeledEvent;
import io.mtlstream.event.TaskSchema;
import io.mtlstream.kafka.SharedBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** The generator end to end: command, publisher and a real in-process broker. */
class GenerateKafkaTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern SUMMARY =
      Pattern.compile("sent (\\d+) events in (\\d+\\.\\d+) s \\((\\d+) events/s\\)\\R");
  private static final EventSchema SCHEMA =
      EventSchema.of(250, TaskSchema.regression("task0", 100), TaskSchema.regression("task1", 100));

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @RegisterExtension static final SharedBroker KAFKA = new SharedBroker();

  @Test
  void shouldPublishDecodableToyEventsToEachTaskTopic() {
    int exit = execute("--count", "300", "--sigmas", "1,100", "--seed", "7");

    assertThat(exit).as(err.toString()).isZero();
    Matcher summary = SUMMARY.matcher(out.toString());
    assertThat(summary.matches()).as(out.toString()).isTrue();
    assertThat(summary.group(1)).isEqualTo("300");

    Map<String, LabeledEvent> expected = new HashMap<>();
    try (ToyEventSource source = ToyEventSource.builder().setSigmas(1, 100).optSeed(7).build()) {
      for (int i = 0; i < 300; i++) {
        LabeledEvent e = source.next();
        expected.put(e.id(), e);
      }
    }
    EventDecoder decoder = new EventDecoder(SCHEMA);
    for (String task : List.of("task0", "task1")) {
      List<ConsumerRecord<byte[], byte[]>> records = read("mtl.events." + task, 150);
      assertThat(records).hasSize(150);
      for (ConsumerRecord<byte[], byte[]> r : records) {
        Decoded d = decoder.decode(r.value(), task, r.timestamp());
        assertThat(d).isInstanceOf(Decoded.Valid.class);
        LabeledEvent e = ((Decoded.Valid) d).event();
        LabeledEvent want = expected.get(e.id());
        assertThat(want).as("id %s", e.id()).isNotNull();
        assertThat(e.task()).isEqualTo(want.task()).isEqualTo(task);
        assertThat(e.model()).isEqualTo("default");
        assertThat(e.features()).isEqualTo(want.features());
        assertThat(e.label()).isEqualTo(want.label());
        assertThat(e.timestamp()).isEqualTo(r.timestamp());
      }
    }
  }

  @Test
  void shouldPublishBinaryEventsWhenAskedAndRefuseUnknownEncodings() {
    String prefix = "bin.events.";
    int exit = execute("--count", "20", "--encoding", "binary", "--topic-prefix", prefix);

    assertThat(exit).as(err.toString()).isZero();
    BinaryEventDecoder decoder = new BinaryEventDecoder(SCHEMA);
    for (String task : List.of("task0", "task1")) {
      List<ConsumerRecord<byte[], byte[]>> records = read(prefix + task, 10);
      assertThat(records).hasSize(10);
      for (ConsumerRecord<byte[], byte[]> r : records) {
        assertThat(decoder.decode(r.value(), task, r.timestamp()))
            .isInstanceOf(Decoded.Valid.class);
      }
    }
    assertThat(execute("--count", "1", "--encoding", "auto")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(execute("--count", "1", "--encoding", "avro")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--encoding must be json or binary").contains("'avro'");
  }

  @Test
  void shouldPaceEventsToTheRequestedRate() {
    int exit = execute("--count", "200", "--rate", "400", "--topic-prefix", "rate.events.");

    assertThat(exit).as(err.toString()).isZero();
    Matcher summary = SUMMARY.matcher(out.toString());
    assertThat(summary.matches()).as(out.toString()).isTrue();
    assertThat(summary.group(1)).isEqualTo("200");
    // 200 events need 199 refills of 2.5 ms: at least 0.4975 s. Only a lower bound: CI is slow.
    assertThat(Double.parseDouble(summary.group(2))).isGreaterThanOrEqualTo(0.4);
  }

  @Test
  void shouldRejectAMalformedDriftAsAUsageError() {
    int exit = execute("--drift", "50000:1", "--count", "1");

    assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("EVENT:TASK:SIGMA");
  }

  @Test
  void shouldFlushEverySentEventWhenStopped() throws Exception {
    String prefix = "stop.events.";
    // Includes waiting until the new partitions are served: see EventTopics (KAFKA-15591).
    EventTopics.provision(
        KAFKA.admin(), EventTopics.specs(prefix, List.of("task0", "task1"), 1), TIMEOUT);
    try (ToyEventSource source = ToyEventSource.builder().setSigmas(1, 100).build();
        EventPublisher publisher =
            EventPublisher.builder()
                .setProducer(EventPublisher.newProducer(KAFKA.bootstrapServers(), Map.of()))
                .setSource(source)
                .optTopicPrefix(prefix)
                .optRate(2000)
                .build()) {
      CompletableFuture<Long> run =
          CompletableFuture.supplyAsync(() -> publisher.run(EventPublisher.UNLIMITED));
      await().atMost(TIMEOUT).until(() -> publisher.sent() >= 100 || run.isDone());
      publisher.stop();
      long sent = run.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

      assertThat(sent).isGreaterThanOrEqualTo(100).isEqualTo(publisher.sent());
      long stored = read(prefix + "task0", (int) (sent + 1) / 2).size();
      stored += read(prefix + "task1", (int) sent / 2).size();
      assertThat(stored).isEqualTo(sent);
    }
  }

  private int execute(String... args) {
    List<String> all = new ArrayList<>(List.of("--bootstrap-servers", KAFKA.bootstrapServers()));
    all.addAll(List.of(args));
    CommandLine cli = new CommandLine(new GenerateCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(all.toArray(String[]::new));
  }

  /** Reads {@code topic} from the start until {@code count} records arrived or the deadline. */
  private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int count) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
