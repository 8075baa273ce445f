package io.mtlstream.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of the process and of each Java thread at one instant; two of them give where the CPU
 * went in between. Native threads (PyTorch's intra-op pool), GC and JIT threads are not Java
 * threads: they show only in the process total, as the difference. Immutable.
 *
 * @param processNanos CPU time of the whole process, -1 if the platform does not tell
 * @param threadNanos Java thread name (with id) → CPU time
 */
public record ThreadCpu(long processNanos, Map<String, Long> threadNanos) {

  /** One thread's share of an interval. */
  public record Share(String thread, double cpuSeconds) {}

  public static ThreadCpu now() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      ThreadInfo info = threads.getThreadInfo(id);
      if (cpu >= 0 && info != null) {
        out.put(info.getThreadName() + "#" + id, cpu);
      }
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    long process =
        os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    return new ThreadCpu(process, Map.copyOf(out));
  }

  /** CPU seconds of the process between {@code earlier} and this. */
  public double processSecondsSince(ThreadCpu earlier) {
    return (processNanos - earlier.processNanos) / 1e9;
  }

  /** Per-thread CPU seconds since {@code earlier}, largest first (threads that ended are lost). */
  public List<Share> sharesSince(ThreadCpu earlier) {
    List<Share> shares = new ArrayList<>();
    threadNanos.forEach(
        (name, nanos) ->
            shares.add(
                new Share(name, (nanos - earlier.threadNanos.getOrDefault(name, 0L)) / 1e9)));
    shares.sort(Comparator.comparingDouble(Share::cpuSeconds).reversed());
    return shares;
  }

  /** CPU seconds of the thread with this id since {@code earlier}; 0 if it is not known. */
  public double secondsOf(ThreadCpu earlier, long threadId) {
    String suffix = "#" + threadId;
    return sharesSince(earlier).stream()
        .filter(s -> s.thread().endsWith(suffix))
        .mapToDouble(Share::cpuSeconds)
        .sum();
  }

  /** CPU seconds of all Java threads since {@code earlier}. */
  public double javaThreadSecondsSince(ThreadCpu earlier) {
    return sharesSince(earlier).stream().mapToDouble(Share::cpuSeconds).sum();
  }
}
