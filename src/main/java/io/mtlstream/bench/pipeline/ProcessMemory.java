package io.mtlstream.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory: resident set size from {@code /proc/self/status}, JVM heap in use. */
public final class ProcessMemory {

  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessMemory() {}

  /** VmRSS in bytes, or -1 where {@code /proc} is absent (not Linux). */
  public static long residentBytes() {
    if (!Files.isReadable(STATUS)) {
      return -1;
    }
    try {
      return parseVmRss(Files.readString(STATUS));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + STATUS, e);
    }
  }

  /** The {@code VmRSS:} line of a {@code /proc/<pid>/status} text, in bytes; -1 if absent. */
  static long parseVmRss(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024; // the kernel writes kB
      }
    }
    return -1;
  }

  public static long heapUsedBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
