package io.mtlstream.app;

import io.mtlstream.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mtlstream broker}: only the local single-node Kafka broker, for trying the other commands
 * and external clients. Prints {@code bootstrap.servers=127.0.0.1:PORT} on stdout once the broker
 * answers, then runs until SIGTERM or SIGINT, closes the broker cleanly and exits 0.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description =
        "Starts a local single-node KRaft Kafka broker on 127.0.0.1 (data kept in --data-dir"
            + " across restarts) and runs until SIGTERM/SIGINT.")
final class BrokerCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerCommand.class);

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "broker port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--data-dir",
      defaultValue = "./mtl-broker-data",
      description = "log dir, formatted on first use and reused after (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be in 0..65535, was " + port);
    }
    CountDownLatch stop = new CountDownLatch(1);
    // Handling the signals ourselves lets this thread close the broker and return 0; without
    // them the JVM still closes the broker from its shutdown hook, but exits with 128+signal.
    Signals.onSignals(stop::countDown, "TERM", "INT");
    EmbeddedKafkaBroker.Builder builder =
        EmbeddedKafkaBroker.builder().optPort(port).optDataDir(dataDir);
    EmbeddedKafkaBroker started;
    try {
      started = builder.build().start();
    } catch (RuntimeException e) {
      LOG.debug("Broker start failed", e);
      System.err.println("Cannot start the Kafka broker on port " + port + ": " + causeChain(e));
      return 1;
    }
    try (EmbeddedKafkaBroker broker = started) {
      System.out.println("bootstrap.servers=" + broker.bootstrapServers());
      System.out.flush();
      LOG.info("Broker running with data dir {}; stop with Ctrl-C or SIGTERM", dataDir);
      stop.await();
      LOG.info("Stopping the broker");
    }
    return 0;
  }

  private static String causeChain(Throwable e) {
    StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      message.append(" <- ").append(t.getMessage());
    }
    return message.toString();
  }
}
