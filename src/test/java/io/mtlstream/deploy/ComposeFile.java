package io.mtlstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read access to a compose file's services as the checks need them, with {@code ${VAR:-default}}
 * resolved to the defaults. Immutable.
 */
record ComposeFile(Path dir, JsonNode root) {

  /** A volume entry in short syntax: host path or named volume, container path. */
  record Mount(String source, String target) {
    boolean bind() {
      return source.startsWith(".") || source.startsWith("/");
    }
  }

  static ComposeFile load(Path file) {
    return new ComposeFile(file.getParent(), DeployFiles.yaml(file));
  }

  List<String> serviceNames() {
    List<String> names = new ArrayList<>();
    root.path("services").fieldNames().forEachRemaining(names::add);
    return names;
  }

  JsonNode service(String name) {
    JsonNode s = root.path("services").path(name);
    if (s.isMissingNode()) {
      throw new AssertionError("docker-compose.yml has no service '" + name + "'");
    }
    return s;
  }

  List<String> command(String service) {
    JsonNode c = service(service).path("command");
    if (c.isTextual()) {
      return Arrays.asList(DeployFiles.withDefaults(c.asText()).trim().split("\\s+"));
    }
    List<String> out = new ArrayList<>();
    c.forEach(e -> out.add(DeployFiles.withDefaults(e.asText())));
    return out;
  }

  /** The value after {@code option} in the service's command. */
  Optional<String> option(String service, String option) {
    List<String> cmd = command(service);
    int i = cmd.indexOf(option);
    return i >= 0 && i + 1 < cmd.size() ? Optional.of(cmd.get(i + 1)) : Optional.empty();
  }

  /** Environment in map or {@code K=V} list form. */
  Map<String, String> environment(String service) {
    JsonNode env = service(service).path("environment");
    Map<String, String> out = new LinkedHashMap<>();
    if (env.isArray()) {
      env.forEach(
          e -> {
            String[] kv = e.asText().split("=", 2);
            out.put(kv[0], kv.length > 1 ? DeployFiles.withDefaults(kv[1]) : "");
          });
    } else {
      env.fields()
          .forEachRemaining(
              f -> out.put(f.getKey(), DeployFiles.withDefaults(f.getValue().asText())));
    }
    return out;
  }

  List<Mount> mounts(String service) {
    List<Mount> out = new ArrayList<>();
    for (JsonNode v : service(service).path("volumes")) {
      if (v.isTextual()) {
        String[] parts = v.asText().split(":");
        out.add(new Mount(parts[0], parts.length > 1 ? parts[1] : parts[0]));
      } else {
        out.add(new Mount(v.path("source").asText(), v.path("target").asText()));
      }
    }
    return out;
  }

  /** Container ports of the {@code ports} entries ({@code [ip:]host:container[/proto]}). */
  List<Integer> publishedContainerPorts(String service) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode p : service(service).path("ports")) {
      String spec = p.isObject() ? p.path("target").asText() : p.asText();
      String[] parts = spec.split("/")[0].split(":");
      out.add(Integer.parseInt(parts[parts.length - 1]));
    }
    return out;
  }

  /** The container path a host file is mounted at in {@code service}. */
  Optional<Mount> mountOf(String service, String target) {
    return mounts(service).stream().filter(m -> m.target().equals(target)).findFirst();
  }

  Path resolve(String hostPath) {
    return dir.resolve(hostPath).normalize();
  }
}
