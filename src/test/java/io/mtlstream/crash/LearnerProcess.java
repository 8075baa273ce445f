package io.mtlstream.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The learner ({@code mtlstream learn --config F}) in a child JVM, so that it can be killed with
 * SIGKILL like a real process. Its stdout and stderr go to files next to its config, for the
 * diagnostics of a failed test. Native thread counts are fixed, as in the surefire JVM, so that a
 * run is bit-reproducible; OpenMP threads wait passively, so that a loaded machine stays fast.
 *
 * <p>Owns the child process: {@link #close()} kills it if it still runs, and so does a shutdown
 * hook of this JVM. Not thread-safe.
 */
final class LearnerProcess implements AutoCloseable {

  /** Loggers that tell what recovery did: model loads (journal replay) and store restoration. */
  private static final List<String> INFO_LOGGERS =
      List.of(
          "io.mtlstream.stream.LearnerProcessor",
          "org.apache.kafka.streams.KafkaStreams",
          "org.apache.kafka.streams.processor.internals.StoreChangelogReader");

  /** Children still running; a shutdown hook kills them, so none outlives an aborted test JVM. */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "mtl-crash-children"));
  }

  private final String name;
  private final Process process;
  private final Path stderr;
  private final long startNanos = System.nanoTime();

  private LearnerProcess(String name, Process process, Path stderr) {
    this.name = name;
    this.process = process;
    this.stderr = stderr;
  }

  /**
   * Writes {@code settings} to {@code <dir>/<name>.properties} and starts the learner on it.
   *
   * @param dir where the config and the output files go
   * @param name distinguishes the files of successive processes of one run
   */
  static LearnerProcess start(Path dir, String name, Map<String, String> settings) {
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve(name + ".properties");
      Properties p = new Properties();
      p.putAll(settings);
      try (var out = Files.newBufferedWriter(config)) {
        p.store(out, "crash test " + name);
      }
      Path stderr = dir.resolve(name + ".stderr.log");
      ProcessBuilder pb =
          new ProcessBuilder(command(config))
              .redirectOutput(dir.resolve(name + ".stdout.log").toFile())
              .redirectError(stderr.toFile());
      pb.environment().put("OPT_OUT_TRACKING", "true");
      // libgomp's default spin-wait makes 2 intra-op threads up to 25x slower per step when the
      // 2 cores are shared with the broker and the test JVM (measured: 80 ms vs 3.4 ms).
      pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
      Process process = pb.start();
      RUNNING.add(process);
      process.onExit().thenAccept(RUNNING::remove);
      return new LearnerProcess(name, process, stderr);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start learner " + name, e);
    }
  }

  private static List<String> command(Path config) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dai.djl.pytorch.num_threads=2");
    cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    INFO_LOGGERS.forEach(l -> cmd.add("-Dorg.slf4j.simpleLogger.log." + l + "=info"));
    cmd.add("io.mtlstream.app.Main");
    cmd.add("learn");
    cmd.add("--config");
    cmd.add(config.toString());
    return cmd;
  }

  /** The test runtime class path; surefire puts it in java.class.path of its forked JVM. */
  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  /** SIGKILL: no shutdown hook, no final commit. Waits until the process is gone. */
  void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /** SIGTERM: clean shutdown with a final commit; SIGKILL if it takes longer than {@code wait}. */
  void terminate(Duration wait) {
    process.destroy();
    if (!awaitExit(wait)) {
      process.destroyForcibly();
      awaitExit(Duration.ofSeconds(30));
    }
  }

  private boolean awaitExit(Duration wait) {
    try {
      return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String name() {
    return name;
  }

  /** Milliseconds since this process was started. */
  long ageMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** The child's log (stderr) as written so far. */
  List<String> logLines() {
    try {
      // Lenient decoding: a line cut mid-character by a kill must not fail the read.
      return Files.exists(stderr)
          ? new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8).lines().toList()
          : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Polls the log until this process loaded a model (restored it and replayed its journal), i.e. it
   * trains from now on.
   *
   * @throws AssertionError if it did not within {@code timeout} or died
   */
  void awaitModelLoad(Duration timeout) {
    awaitLog("a model load", lines -> !ModelLoad.in(lines).isEmpty(), timeout);
  }

  /** Polls the log until Streams reports it is running (joined the group, restored its state). */
  void awaitRunning(Duration timeout) {
    awaitLog(
        "Streams RUNNING",
        lines -> lines.stream().anyMatch(l -> l.contains("REBALANCING to RUNNING")),
        timeout);
  }

  private void awaitLog(String what, Predicate<List<String>> seen, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!seen.test(logLines())) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            this + ": no " + what + " within " + timeout + "\n" + RunChecks.tail(this, 40));
      }
      try {
        Pauses.pause(50); // polling interval
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + stderr + ")";
  }
}
