package io.mtlstream.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mtlstream.app.config.MtlConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mtlstream learn --config F}: the learner against any Kafka, until SIGTERM. */
@Command(
    name = "learn",
    mixinStandardHelpOptions = true,
    description =
        "Runs the learner against a Kafka cluster: bootstrap.servers and all mtl.* settings come"
            + " from the config file, MTL_* environment variables and --set flags.")
final class LearnCommand implements Callable<Integer> {

  @Option(names = "--config", description = "properties file")
  Path config;

  @Option(names = "--set", description = "KEY=VALUE overrides (repeatable)")
  Map<String, String> overrides = Map.of();

  @Override
  public Integer call() throws InterruptedException {
    MtlConfig cfg = MtlConfig.load(config, System.getenv(), overrides);
    CountDownLatch stopped = new CountDownLatch(1);
    try (LearnerApp app = new LearnerApp(cfg, new SimpleMeterRegistry())) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    app.close();
                    stopped.countDown();
                  },
                  "mtl-shutdown"));
      app.start();
      if (app.awaitRunning(java.time.Duration.ofMinutes(2))) {
        System.out.println("learner running; Ctrl-C or SIGTERM stops it with a final commit");
      } else {
        System.out.println("learner not running after 2 minutes (state " + app.state() + ")");
      }
      stopped.await();
    }
    return 0;
  }
}
