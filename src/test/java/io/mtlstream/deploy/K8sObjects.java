package io.mtlstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers over Kubernetes objects read as YAML trees. Stateless. */
final class K8sObjects {

  private static final Pattern THREADS =
      Pattern.compile("-Dai\\.djl\\.pytorch\\.num_threads=(\\d+)");

  private K8sObjects() {}

  /** Every object of every YAML file under {@code dir} but kustomizations. */
  static List<JsonNode> objects(Path dir) {
    List<JsonNode> out = new ArrayList<>();
    for (Path f : DeployFiles.files(dir, ".yaml", ".yml")) {
      if (!f.getFileName().toString().startsWith("kustomization")) {
        out.addAll(DeployFiles.yamlDocuments(f));
      }
    }
    return out;
  }

  static JsonNode only(List<JsonNode> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  /** Containers and init containers of a workload or pod (empty for other kinds). */
  static List<JsonNode> containers(JsonNode object) {
    JsonNode pod =
        object.path("kind").asText().equals("Pod")
            ? object.path("spec")
            : object.path("spec").path("template").path("spec");
    List<JsonNode> out = new ArrayList<>();
    pod.path("initContainers").forEach(out::add);
    pod.path("containers").forEach(out::add);
    return out;
  }

  static JsonNode container(JsonNode object, String name) {
    return containers(object).stream()
        .filter(c -> c.path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    return env;
  }

  /** The value after {@code option} in the container's args. */
  static Optional<String> option(JsonNode container, String option) {
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    int i = args.indexOf(option);
    return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
  }

  static int containerPort(JsonNode container, String name) {
    for (JsonNode p : container.path("ports")) {
      if (p.path("name").asText().equals(name)) {
        return p.path("containerPort").asInt();
      }
    }
    throw new AssertionError("container " + container.path("name") + " has no port " + name);
  }

  /** {@code -Dai.djl.pytorch.num_threads} in a {@code JAVA_TOOL_OPTIONS}-like text. */
  static Optional<Integer> threads(String javaOptions) {
    Matcher m = THREADS.matcher(javaOptions == null ? "" : javaOptions);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /** Kubernetes CPU quantity ("2", "1.5", "500m") in CPUs. */
  static double cpus(String quantity) {
    return quantity.endsWith("m")
        ? Double.parseDouble(quantity.substring(0, quantity.length() - 1)) / 1000
        : Double.parseDouble(quantity);
  }
}
