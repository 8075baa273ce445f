package io.mtlstream.app;

import io.mtlstream.runtime.LearnerApp;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.Settings;
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
            + " from the config file, MTL_* environment variables and --set flags (later wins)."
            + " Every setting and its default: README.md (Configuration) and the commented"
            + " example deploy/config/learner.properties.")
final class LearnCommand implements Callable<Integer> {

  @Option(names = "--config", description = "properties file")
  Path config;

  @Option(names = "--set", description = "KEY=VALUE overrides (repeatable)")
  Map<String, String> overrides = Map.of();

  @Override
  public Integer call() throws InterruptedException {
    MtlConfig cfg = MtlConfig.load(config, System.getenv(), overrides);
    NativeDefaults.learnerThreadsDefault(Settings.model(cfg));
    CountDownLatch stopped = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean asked =
        new java.util.concurrent.atomic.AtomicBoolean();
    try (LearnerApp app = new LearnerApp(cfg)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    asked.set(true);
                    app.close();
                    stopped.countDown();
                  },
                  "mtl-shutdown"));
      // A learner that dies on its own (e.g. fatal error on the stream thread) must end the
      // process with a failure status so that a supervisor restarts it.
      app.onStopped(stopped::countDown);
      app.start();
      if (app.awaitRunning(java.time.Duration.ofMinutes(2))) {
        System.out.println("learner running; Ctrl-C or SIGTERM stops it with a final commit");
        System.out.println(
            app.metricsUrl()
                .map(url -> "metrics   " + url + " (Prometheus; /health beside it)")
                .orElse("metrics   no endpoint (mtl.metrics.port=0, or its port was taken)"));
      } else {
        System.out.println("learner not running after 2 minutes (state " + app.state() + ")");
      }
      stopped.await();
      if (!asked.get()) {
        System.out.println("learner stopped by itself (state " + app.state() + "); exiting 1");
        return 1;
      }
    }
    return 0;
  }
}
