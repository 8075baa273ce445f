package io.mtlstream.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands memory that glibc's malloc keeps after native code freed it back to the operating system,
 * periodically, through the JVM's own {@code System.trim_native_heap} diagnostic command.
 *
 * <p>Why: libtorch, RocksDB and the Kafka clients allocate and free native memory on many threads;
 * glibc keeps freed chunks in per-thread arenas, so a learner's resident memory climbed by ~8 MB/s
 * in a soak while nothing leaked (the JVM's native memory tracking stayed flat, a training loop
 * alone stayed flat, and one trim returned 937 MB). The JVM can do this itself with {@code
 * -XX:TrimNativeHeapInterval=<ms>} (JDK 17.0.9+); when that flag is set, or the command does not
 * exist (another JVM or C library), this does nothing. Owns one daemon thread; {@link #close()}
 * stops it.
 */
public final class NativeHeapTrim implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NativeHeapTrim.class);
  private static final String COMMAND = "systemTrimNativeHeap";

  private final ScheduledExecutorService timer;

  private NativeHeapTrim(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts trimming every {@code interval} unless the JVM trims by itself or cannot trim. */
  public static NativeHeapTrim start(Duration interval) {
    if (interval.isZero() || jvmTrims() || !trim()) {
      return new NativeHeapTrim(null);
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mtl-native-heap-trim");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    timer.scheduleWithFixedDelay(NativeHeapTrim::trim, ms, ms, TimeUnit.MILLISECONDS);
    return new NativeHeapTrim(timer);
  }

  /** Whether trimming runs on this thread's schedule (false: the JVM does it, or it cannot). */
  boolean active() {
    return timer != null;
  }

  private static boolean jvmTrims() {
    try {
      String value =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
              .getVMOption("TrimNativeHeapInterval")
              .getValue();
      return Long.parseLong(value) > 0;
    } catch (RuntimeException e) {
      return false; // no such option on this JVM
    }
  }

  private static boolean trim() {
    try {
      Object result =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  COMMAND,
                  new Object[] {null},
                  new String[] {String[].class.getName()});
      LOG.debug("{}", result);
      return true;
    } catch (Exception e) {
      LOG.debug("native heap trimming unavailable: {}", e.toString());
      return false;
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
