package io.mtlstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a kustomization.yaml refers to. Stateless. */
final class Kustomization {

  private Kustomization() {}

  /**
   * Paths (relative to the kustomization's directory) of its resources, components, generator files
   * and patches.
   */
  static List<String> references(Path kustomization) {
    JsonNode k = DeployFiles.yaml(kustomization);
    List<String> refs = new ArrayList<>();
    k.path("resources").forEach(r -> refs.add(r.asText()));
    k.path("components").forEach(r -> refs.add(r.asText()));
    k.path("patchesStrategicMerge").forEach(r -> refs.add(r.asText()));
    k.path("patches").forEach(p -> addIfPresent(refs, p.path("path")));
    for (String generator : List.of("configMapGenerator", "secretGenerator")) {
      for (JsonNode g : k.path(generator)) {
        // "file" or "key=file"
        g.path("files").forEach(f -> refs.add(f.asText().replaceFirst("^[^=]*=", "")));
        g.path("envs").forEach(f -> refs.add(f.asText()));
      }
    }
    return refs;
  }

  private static void addIfPresent(List<String> refs, JsonNode path) {
    if (path.isTextual()) {
      refs.add(path.asText());
    }
  }
}
