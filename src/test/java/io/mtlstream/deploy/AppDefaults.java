package io.mtlstream.deploy;

import io.mtlstream.app.ServeCommand;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.MtlKeys;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What the application itself says about ports and configuration, read from its code so the
 * deployment checks never restate a default: {@link MtlKeys} defaults, {@code serve}'s option
 * defaults, and the config as a container sees it (file + image ENV + container env).
 */
final class AppDefaults {

  static final Path DOCKERFILE = DeployFiles.path("Dockerfile");

  private AppDefaults() {}

  static int metricsPort() {
    return Integer.parseInt(MtlKeys.METRICS_PORT.defaultValue());
  }

  /** {@code serve --port}'s default, from its picocli annotation. */
  static int servePort() {
    return Integer.parseInt(serveOptionDefault("port"));
  }

  /** {@code serve --host}'s default. */
  static String serveHost() {
    return serveOptionDefault("host");
  }

  /** The environment variable of {@code mtl.metrics.host}. */
  static String metricsHostEnv() {
    return MtlKeys.METRICS_HOST.envName();
  }

  /** The ENV of the runtime image, under the container's own environment. */
  static Map<String, String> containerEnv(Map<String, String> own) {
    Map<String, String> env =
        new HashMap<>(Dockerfile.parse(DeployFiles.read(DOCKERFILE)).last().env());
    env.putAll(own);
    return env;
  }

  /** The config a container loads: the file, then the image's and the container's environment. */
  static MtlConfig containerConfig(Path file, Map<String, String> ownEnv) {
    return MtlConfig.load(file, containerEnv(ownEnv), Map.of());
  }

  private static String serveOptionDefault(String field) {
    try {
      Option option = ServeCommand.class.getDeclaredField(field).getAnnotation(Option.class);
      return option.defaultValue();
    } catch (NoSuchFieldException e) {
      throw new AssertionError("ServeCommand has no option field '" + field + "'", e);
    }
  }
}
