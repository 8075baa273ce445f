package io.mtlstream.runtime;

import com.sun.jna.Function;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises glibc malloc's mmap threshold, trim threshold and top pad for the process, so that the
 * arrays a training step allocates and frees are reused from the heap instead of being mapped,
 * faulted in page by page, and unmapped again every step.
 *
 * <p>Why: libtorch's CPU allocator is plain malloc. glibc serves blocks above its mmap threshold
 * (128 KiB until a larger mapped block is freed) with a fresh mapping, and gives the heap's free
 * top back to the kernel once it exceeds the trim threshold (twice that). A step of the reference
 * model at batch 256 frees a few MiB at its end, so in a process where nothing large had been freed
 * yet every step paid ≈ 400 page faults more and the unmaps' TLB shootdowns across the intra-op
 * threads: 8.6 against 4.1 ms per step, 368k against 41k page faults in one run
 * (docs/BENCHMARKS.md). The fixed values also end glibc's adjustment of them to whatever was freed
 * first, which made a step's speed depend on what else the process had done (a large matrix product
 * before the first step halved it). Memory the higher trim threshold keeps is bounded per arena and
 * handed back by {@link NativeHeapTrim}.
 *
 * <p>Thresholds the user set through glibc's own environment variables ({@code
 * MALLOC_MMAP_THRESHOLD_}, {@code MALLOC_TRIM_THRESHOLD_}, {@code MALLOC_TOP_PAD_}, or their {@code
 * GLIBC_TUNABLES}) are left alone; where there is no glibc {@code mallopt} (another C library,
 * another OS) this does nothing. Thread-safe and idempotent: the first call decides.
 */
public final class MallocTuning {

  /** What {@link #apply()} did. */
  public enum Outcome {
    /** All three were set. */
    TUNED,
    /** The user set malloc's thresholds in the environment. */
    USER_SETTINGS,
    /** No glibc {@code mallopt} here. */
    UNAVAILABLE
  }

  /**
   * Blocks up to this size come from the heap: glibc's largest allowed mmap threshold on 64-bit,
   * above every per-step array of the models measured here except the 100 MB one's flat arrays.
   */
  static final int MMAP_THRESHOLD = 32 << 20;

  /** The heap keeps this much free at its top before trimming: twice the mmap threshold. */
  static final int TRIM_THRESHOLD = 64 << 20;

  /**
   * Free memory a heap keeps when it does trim or grow. Without it a thread's arena (every thread
   * but the JVM's main one) unmaps a whole sub-heap as soon as it falls empty, whatever the trim
   * threshold: the 10 MB model's step, whose optimizer writes several 10 MB arrays, kept paying
   * 2,500 page faults (measured: 45 ms a step with the two thresholds, 24 ms with this too).
   */
  static final int TOP_PAD = 64 << 20;

  // glibc's <malloc.h> parameter numbers.
  private static final int M_TRIM_THRESHOLD = -1;
  private static final int M_TOP_PAD = -2;
  private static final int M_MMAP_THRESHOLD = -3;

  private static final Logger LOG = LoggerFactory.getLogger(MallocTuning.class);
  private static Outcome outcome;

  private MallocTuning() {}

  /** Tunes this process's malloc once, before or after the native engine loads. */
  public static synchronized Outcome apply() {
    if (outcome == null) {
      outcome = apply(System.getenv());
      LOG.debug("malloc thresholds: {}", outcome);
    }
    return outcome;
  }

  /**
   * glibc's environment variables for the thresholds this process set, for a child process that
   * should allocate under the same ones; empty unless {@link #apply()} tuned this process.
   */
  public static synchronized Map<String, String> childEnvironment() {
    return outcome == Outcome.TUNED
        ? Map.of(
            "MALLOC_MMAP_THRESHOLD_", String.valueOf(MMAP_THRESHOLD),
            "MALLOC_TRIM_THRESHOLD_", String.valueOf(TRIM_THRESHOLD),
            "MALLOC_TOP_PAD_", String.valueOf(TOP_PAD))
        : Map.of();
  }

  static Outcome apply(Map<String, String> env) {
    if (userSettings(env)) {
      return Outcome.USER_SETTINGS;
    }
    Function mallopt;
    try {
      mallopt = Function.getFunction("c", "mallopt");
    } catch (LinkageError e) {
      // No such symbol, or JNA's own native library could not load (a noexec temp dir).
      return Outcome.UNAVAILABLE;
    }
    // mallopt returns 1 on success; musl's is a stub that returns 0.
    boolean set =
        mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD}) == 1
            && mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD}) == 1
            && mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD}) == 1;
    return set ? Outcome.TUNED : Outcome.UNAVAILABLE;
  }

  static boolean userSettings(Map<String, String> env) {
    String tunables = env.getOrDefault("GLIBC_TUNABLES", "");
    return env.containsKey("MALLOC_MMAP_THRESHOLD_")
        || env.containsKey("MALLOC_TRIM_THRESHOLD_")
        || env.containsKey("MALLOC_TOP_PAD_")
        || tunables.contains("glibc.malloc.mmap_threshold")
        || tunables.contains("glibc.malloc.trim_threshold")
        || tunables.contains("glibc.malloc.top_pad");
  }
}
