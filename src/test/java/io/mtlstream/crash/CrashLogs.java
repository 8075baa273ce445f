package io.mtlstream.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the child learners' configs and logs go: a directory that outlives the test (unlike its
 * {@code @TempDir}), so a failure can be diagnosed. {@code -Dmtl.crash.logs=DIR} chooses the root;
 * default {@code <java.io.tmpdir>/mtl-crash-logs}.
 */
final class CrashLogs {

  private CrashLogs() {}

  static Path dir(String name) {
    Path root =
        Path.of(
            System.getProperty(
                "mtl.crash.logs",
                Path.of(System.getProperty("java.io.tmpdir"), "mtl-crash-logs").toString()));
    try {
      Path dir = Files.createDirectories(root).resolve(name + "-" + System.currentTimeMillis());
      Files.createDirectories(dir);
      System.out.printf("[crash] %s: learner configs and logs in %s%n", name, dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
