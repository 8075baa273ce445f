package io.mtlstream.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mtlstream.runtime.NativeHeapTrim;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import io.mtlstream.serve.ServeServer;
import io.mtlstream.serve.ServedModel;
import io.mtlstream.serve.SnapshotListener;
import io.mtlstream.serve.SnapshotSubscriber;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mtlstream serve --config F}: follows the snapshot topic and answers predictions over HTTP
 * until SIGTERM (see {@code io.mtlstream.serve} for the HTTP API).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serves the newest verified snapshot of a model over HTTP: POST /predict, GET /model,"
            + " /health/live, /health/ready, /metrics. bootstrap.servers and the snapshot topic"
            + " come from the config file, MTL_* environment variables and --set flags.")
public final class ServeCommand implements Callable<Integer> {

  /** Settings the subscriber owns; a config file's values for them are ignored. */
  private static final Set<String> OWN_CONSUMER_SETTINGS =
      Set.of(
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

  @Option(names = "--config", description = "properties file")
  Path config;

  @Option(names = "--set", description = "KEY=VALUE overrides (repeatable)")
  Map<String, String> overrides = new HashMap<>();

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "address to listen on (default: ${DEFAULT-VALUE}, loopback only)")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "default: ${DEFAULT-VALUE}")
  int port;

  @Option(
      names = "--model",
      defaultValue = "default",
      description = "model id to serve, the snapshot record key (default: ${DEFAULT-VALUE})")
  String model;

  @Option(
      names = "--all-models",
      description = "serve every model id on the topic; --model is then the default of requests")
  boolean allModels;

  @Option(
      names = "--threads",
      description = "HTTP worker threads (default: the number of cores, at least 2)")
  Integer threads;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "where the networks live: cpu, auto, gpu or gpu:N (default: ${DEFAULT-VALUE})")
  String device;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "1",
      description =
          "native threads per prediction (sets ai.djl.pytorch.num_threads; default:"
              + " ${DEFAULT-VALUE}). Requests already run in parallel on the HTTP workers: on 2"
              + " cores two threads each served no more requests than one (docs/BENCHMARKS.md)")
  int intraOpThreads;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    // Read when the engine starts, on the first model load; nothing has touched DJL yet.
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Math.max(1, intraOpThreads)));
    MtlConfig cfg = MtlConfig.load(config, System.getenv(), overrides);
    Map<String, Object> consumer = consumerSettings(cfg.kafka());
    Object bootstrap = consumer.remove(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (bootstrap == null || bootstrap.toString().isBlank()) {
      spec.commandLine()
          .getErr()
          .println(
              "no bootstrap.servers: set it in the config file, with --set bootstrap.servers=…"
                  + " or MTL_KAFKA_BOOTSTRAP_SERVERS");
      return 1;
    }
    String topic = cfg.get(MtlKeys.TOPIC_SNAPSHOTS);
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SnapshotSubscriber.Builder models =
        SnapshotSubscriber.builder()
            .setBootstrapServers(bootstrap.toString())
            .optTopic(topic)
            .optModelId(model)
            .optConsumerProperties(consumer)
            .optDevice(device)
            .optMeterRegistry(registry)
            .optListener(printer(out));
    if (allModels) {
      models.optAllModels();
    }
    CountDownLatch stopped = new CountDownLatch(1);
    NativeHeapTrim trim =
        NativeHeapTrim.start(Duration.ofMillis(cfg.getLong(MtlKeys.NATIVE_TRIM_MS)));
    SnapshotSubscriber subscriber = models.build();
    ServeServer server;
    try {
      server = server(subscriber, registry);
    } catch (RuntimeException e) {
      subscriber.close();
      trim.close();
      throw e;
    }
    Runnable stop =
        () -> {
          server.close();
          subscriber.close();
          trim.close();
          stopped.countDown();
        };
    try {
      try {
        server.start();
      } catch (UncheckedIOException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 1;
      }
      subscriber.start();
      Runtime.getRuntime().addShutdownHook(new Thread(stop, "mtl-serve-shutdown"));
      out.printf(
          "serving %s from topic '%s' at %s; Ctrl-C or SIGTERM stops it%n",
          allModels ? "every model" : "model '" + model + "'", topic, server.baseUri());
      out.flush();
      stopped.await();
    } finally {
      stop.run();
    }
    return 0;
  }

  private ServeServer server(SnapshotSubscriber subscriber, PrometheusMeterRegistry registry) {
    ServeServer.Builder b =
        ServeServer.builder().setModels(subscriber).optRegistry(registry).optHost(host);
    b.optPort(port);
    if (threads != null) {
      b.optThreads(threads);
    }
    return b.build();
  }

  /**
   * The Kafka settings of the config that a consumer understands ({@code consumer.}-prefixed ones
   * win over plain ones); Streams-only settings such as {@code application.id} are dropped.
   */
  static Map<String, Object> consumerSettings(Map<String, Object> kafka) {
    Set<String> known = ConsumerConfig.configNames();
    Map<String, Object> out = new TreeMap<>();
    String prefix = "consumer.";
    kafka.forEach(
        (k, v) -> {
          if (known.contains(k) && !OWN_CONSUMER_SETTINGS.contains(k)) {
            out.put(k, v);
          }
        });
    kafka.forEach(
        (k, v) -> {
          String key = k.startsWith(prefix) ? k.substring(prefix.length()) : null;
          if (key != null && known.contains(key) && !OWN_CONSUMER_SETTINGS.contains(key)) {
            out.put(key, v);
          }
        });
    return out;
  }

  /** User-facing lines for swaps; rejections are logged as warnings by the subscriber. */
  private static SnapshotListener printer(PrintWriter out) {
    return new SnapshotListener() {
      @Override
      public void onLoaded(ServedModel current, ServedModel previous) {
        out.printf(
            "model '%s': serving step %d (sha256 %s)%n",
            current.modelId(), current.step(), current.sha256());
        out.flush();
      }

      @Override
      public void onRejected(String modelId, String reason, String message) {
        out.printf("model '%s': rejected a snapshot (%s); kept the served one%n", modelId, reason);
        out.flush();
      }
    };
  }
}
