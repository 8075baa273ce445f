package io.mtlstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mtlstream.runtime.MallocTuning;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch reference of the step benchmark: runs {@code /bench/gradnorm_reference.py} from the
 * classpath (the same model, batch split and GradNorm in plain PyTorch) in a Python interpreter
 * that can import {@code torch} (Debian's {@code python3-torch}), and parses the JSON it prints.
 * Each call starts its own process on its own temporary copy of the script and kills the process
 * when it overruns its deadline. Instances are immutable and thread-safe.
 */
public final class PyTorchReference {

  /** Debian's packages import only under the system interpreter, so it is tried first. */
  public static final List<String> DEFAULT_INTERPRETERS = List.of("/usr/bin/python3", "python3");

  static final String SCRIPT = "/bench/gradnorm_reference.py";
  private static final Duration PROBE_DEADLINE = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(PyTorchReference.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The interpreter that imports torch and torch's version, or (interpreter null) why none. */
  public record Availability(String interpreter, String torchVersion, String reason) {
    public boolean available() {
      return interpreter != null;
    }
  }

  /** What to run: the options of the Java bench, the intra-op thread count and a deadline. */
  public record Settings(
      int batch, int threads, int warmup, int rounds, int burst, Duration deadline) {
    public Settings {
      if (batch < 3 || threads < 1 || warmup < 0 || rounds < 1 || burst < 1) {
        throw new IllegalArgumentException(
            "need batch >= 3, threads >= 1, warmup >= 0, rounds >= 1, burst >= 1");
      }
      if (deadline == null || deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline must be positive, was " + deadline);
      }
    }
  }

  /** Median milliseconds per step and events per second of one variant. */
  public record Timing(String variant, double msPerStep, double eventsPerSecond) {}

  /** The result of a run: {@link Measured} timings, or {@link Unavailable} with a reason. */
  public sealed interface Outcome permits Measured, Unavailable {}

  /** Timings per variant ({@code equal}, {@code gradnorm}), in the script's order. */
  public record Measured(String torchVersion, int threads, Map<String, Timing> timings)
      implements Outcome {
    public Measured {
      timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    }
  }

  /** Why no timings came back (no torch, script failure, deadline overrun, bad output). */
  public record Unavailable(String reason) implements Outcome {
    @Override
    public String toString() {
      return "unavailable: " + reason;
    }
  }

  /** The script's {@code --selftest} verdict and its output (stdout, or stderr on failure). */
  public record SelfTest(boolean passed, String output) {}

  private final String interpreter;

  public PyTorchReference(String interpreter) {
    this.interpreter = interpreter;
  }

  /** The first of {@link #DEFAULT_INTERPRETERS} that imports torch. */
  public static Availability locate() {
    return locate(DEFAULT_INTERPRETERS);
  }

  /** The first candidate that imports torch, else every candidate's reason for failing. */
  public static Availability locate(List<String> candidates) {
    List<String> reasons = new ArrayList<>();
    for (String candidate : candidates) {
      ScriptRun run =
          exec(
              List.of(candidate, "-c", "import sys, torch; sys.stdout.write(torch.__version__)"),
              PROBE_DEADLINE);
      if (run.ok()) {
        return new Availability(candidate, run.stdout().trim(), null);
      }
      reasons.add(candidate + ": " + run.failure("import torch"));
    }
    return new Availability(null, null, "no interpreter can import torch (" + reasons + ")");
  }

  /** Runs the benchmark script; never throws for an expected failure, it becomes the reason. */
  public Outcome run(Settings s) {
    ScriptRun run =
        script(
            s.deadline(),
            "--batch=" + s.batch(),
            "--threads=" + s.threads(),
            "--warmup=" + s.warmup(),
            "--rounds=" + s.rounds(),
            "--burst=" + s.burst());
    if (!run.ok()) {
      return new Unavailable(interpreter + " " + SCRIPT + ": " + run.failure("the script"));
    }
    try {
      JsonNode root = JSON.readTree(run.stdout());
      Map<String, Timing> timings = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : root.path("variants").properties()) {
        timings.put(
            e.getKey(),
            new Timing(
                e.getKey(),
                e.getValue().path("ms_per_step").asDouble(Double.NaN),
                e.getValue().path("events_per_second").asDouble(Double.NaN)));
      }
      if (timings.isEmpty()) {
        return new Unavailable("no variants in the script's output: " + abbreviate(run.stdout()));
      }
      return new Measured(root.path("torch").asText(), root.path("threads").asInt(), timings);
    } catch (IOException e) {
      return new Unavailable("unparseable output (" + e.getMessage() + "): " + run.stdout());
    }
  }

  /** Runs the script's check of its GradNorm weight update against GRADNORM.md's vectors. */
  public SelfTest selftest(Duration deadline) {
    ScriptRun run = script(deadline, "--selftest");
    return new SelfTest(run.ok(), run.ok() ? run.stdout() : run.failure("--selftest"));
  }

  /** The matmul flops per step the Java rows use ({@link StepFlops}), for the reference rows. */
  public static double stepFlops(StepBenchmark.Config config) {
    var spec = config.model();
    return StepFlops.of(
        spec, StepBenchmark.batches(spec, config.batch(), 1, new SplittableRandom(7)).get(0));
  }

  private ScriptRun script(Duration deadline, String... args) {
    Path copy = null;
    try (InputStream in = PyTorchReference.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        return ScriptRun.failed(SCRIPT + " is not on the classpath");
      }
      copy = Files.createTempFile("mtl-gradnorm-reference", ".py");
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      List<String> command = new ArrayList<>(List.of(interpreter, copy.toString()));
      command.addAll(List.of(args));
      return exec(command, deadline);
    } catch (IOException e) {
      return ScriptRun.failed("cannot copy " + SCRIPT + ": " + e.getMessage());
    } finally {
      deleteQuietly(copy);
    }
  }

  /** Runs a command with stdout and stderr in temp files (no pipe can fill up and block it). */
  private static ScriptRun exec(List<String> command, Duration deadline) {
    LOG.debug("running {} (deadline {})", command, deadline);
    Path out = null;
    Path err = null;
    Process process = null;
    try {
      out = Files.createTempFile("mtl-pytorch", ".out");
      err = Files.createTempFile("mtl-pytorch", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      // libtorch in Python allocates through the same malloc: same thresholds, same footing.
      builder.environment().putAll(MallocTuning.childEnvironment());
      process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        return ScriptRun.failed("killed after overrunning its deadline of " + deadline);
      }
      return new ScriptRun(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8),
          null);
    } catch (IOException e) {
      return ScriptRun.failed("cannot run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ScriptRun.failed("interrupted");
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      if (path != null) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", path, e.getMessage());
    }
  }

  private static String abbreviate(String text) {
    String t = text.strip();
    return t.length() <= 500 ? t : "…" + t.substring(t.length() - 500);
  }

  /** A finished process (exit code, output), or one that never ran or was killed (error set). */
  private record ScriptRun(int exitCode, String stdout, String stderr, String error) {
    static ScriptRun failed(String error) {
      return new ScriptRun(-1, "", "", error);
    }

    boolean ok() {
      return error == null && exitCode == 0;
    }

    String failure(String what) {
      if (error != null) {
        return error;
      }
      return what + " exited with " + exitCode + ": " + abbreviate(stderr + stdout);
    }
  }
}
