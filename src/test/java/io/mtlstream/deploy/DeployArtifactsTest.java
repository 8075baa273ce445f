package io.mtlstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the deployment artifacts (Dockerfile, docker-compose.yml, deploy/): they parse,
 * pin their images, reference only files that exist, and the image is built reproducibly and runs
 * as intended. Cross-checks against the application's own defaults are in {@link
 * DeployConsistencyTest}. No Docker engine or cluster needed.
 */
class DeployArtifactsTest {

  private static final Path COMPOSE = DeployFiles.path("docker-compose.yml");
  private static final Path K8S = DeployFiles.path("deploy/k8s");
  private static final Path BASE = K8S.resolve("base");

  @Test
  void shouldParseEveryYamlAndJsonFile() {
    List<Path> yaml = new ArrayList<>(List.of(COMPOSE));
    yaml.addAll(DeployFiles.files(DeployFiles.path("deploy"), ".yaml", ".yml"));
    yaml.addAll(DeployFiles.files(DeployFiles.path("grafana"), ".yaml", ".yml"));
    List<Path> json = new ArrayList<>(DeployFiles.files(DeployFiles.path("deploy"), ".json"));
    json.addAll(DeployFiles.files(DeployFiles.path("grafana"), ".json"));

    assertThat(yaml).hasSizeGreaterThan(10);
    for (Path f : yaml) {
      assertThat(DeployFiles.yamlDocuments(f)).as("documents in %s", f).isNotEmpty();
    }
    json.forEach(DeployFiles::json);
  }

  @Test
  void shouldPinEveryImageToAFullVersion() {
    Map<String, String> images = new java.util.TreeMap<>();
    ComposeFile compose = ComposeFile.load(COMPOSE);
    for (String s : compose.serviceNames()) {
      String image = compose.service(s).path("image").asText();
      assertThat(image).as("service %s names its image", s).isNotEmpty();
      images.put("compose " + s, image);
    }
    Dockerfile dockerfile = Dockerfile.parse(DeployFiles.read(AppDefaults.DOCKERFILE));
    Set<String> stageNames = new HashSet<>();
    for (Dockerfile.Stage stage : dockerfile.stages()) {
      if (!stageNames.contains(stage.image())) {
        images.put("Dockerfile FROM " + stage.name(), stage.image());
      }
      stageNames.add(stage.name());
    }
    for (JsonNode o : K8sObjects.objects(K8S)) {
      for (JsonNode c : K8sObjects.containers(o)) {
        String where = o.path("metadata").path("name").asText() + "/" + c.path("name").asText();
        // Overlay patches may leave the image to the base; the base must name one.
        if (c.has("image") || K8sObjects.objects(BASE).contains(o)) {
          images.put(where, c.path("image").asText());
        }
      }
    }
    for (Path k : DeployFiles.files(K8S, "kustomization.yaml")) {
      for (JsonNode i : DeployFiles.yaml(k).path("images")) {
        String ref = i.path("newName").asText(i.path("name").asText());
        images.put(k + " images", ref + ":" + i.path("newTag").asText("latest"));
      }
    }

    assertThat(images).isNotEmpty();
    images.forEach(
        (where, ref) -> assertThat(ImageRef.parse(ref).pinned()).as("%s: %s", where, ref).isTrue());
  }

  @Test
  void shouldFindEveryFileThatComposeMountsOrBuilds() {
    ComposeFile compose = ComposeFile.load(COMPOSE);
    Set<String> namedVolumes = new HashSet<>();
    compose.root().path("volumes").fieldNames().forEachRemaining(namedVolumes::add);
    for (String s : compose.serviceNames()) {
      for (ComposeFile.Mount m : compose.mounts(s)) {
        if (m.bind()) {
          assertThat(compose.resolve(m.source())).as("%s mounts %s", s, m.source()).exists();
        } else {
          assertThat(namedVolumes).as("%s uses volume %s", s, m.source()).contains(m.source());
        }
      }
      JsonNode build = compose.service(s).path("build");
      if (!build.isMissingNode()) {
        String context = build.isTextual() ? build.asText() : build.path("context").asText(".");
        String file = build.path("dockerfile").asText("Dockerfile");
        assertThat(compose.resolve(context).resolve(file)).as("%s builds", s).isRegularFile();
      }
    }
  }

  @Test
  void shouldFindEveryFileThatAKustomizationReferences() {
    List<Path> kustomizations = DeployFiles.files(K8S, "kustomization.yaml");
    assertThat(kustomizations).hasSizeGreaterThanOrEqualTo(4);
    for (Path k : kustomizations) {
      for (String ref : Kustomization.references(k)) {
        Path target = k.getParent().resolve(ref).normalize();
        boolean ok =
            Files.isRegularFile(target)
                || Files.isRegularFile(target.resolve("kustomization.yaml"));
        assertThat(ok).as("%s references %s", k, ref).isTrue();
      }
    }
  }

  @Test
  void shouldListEveryFileOfTheKustomizeBase() throws Exception {
    Set<String> listed =
        new HashSet<>(Kustomization.references(BASE.resolve("kustomization.yaml")));
    try (var files = Files.list(BASE)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.equals("kustomization.yaml")) {
          assertThat(listed).as("deploy/k8s/base/kustomization.yaml lists %s", name).contains(name);
        }
      }
    }
  }

  @Test
  void shouldBuildTheJarInAStageAndRunItAsNonRootWithOfflineDjl() {
    Dockerfile d = Dockerfile.parse(DeployFiles.read(AppDefaults.DOCKERFILE));
    assertThat(d.stages()).hasSizeGreaterThanOrEqualTo(2);
    Dockerfile.Stage build = d.stages().get(0);
    assertThat(build.name()).isEqualTo("build");
    assertThat(build.image()).startsWith("maven:").contains("eclipse-temurin-17");
    assertThat(build.all("RUN"))
        .anySatisfy(r -> assertThat(r.arguments()).contains("mvn", "package", "-DskipTests"));

    Dockerfile.Stage run = d.last();
    assertThat(run.image()).startsWith("eclipse-temurin:17").contains("-jre");
    String user = run.last("USER").orElseThrow().arguments().split(":")[0];
    assertThat(user).isNotIn("root", "0", "");
    assertThat(run.env())
        .containsEntry("OPT_OUT_TRACKING", "true")
        .containsKey("DJL_CACHE_DIR")
        .containsEntry(AppDefaults.metricsHostEnv(), "0.0.0.0");
    assertThat(run.last("VOLUME").orElseThrow().arguments()).contains("/data");
    List<String> entry = Dockerfile.execForm(run.last("ENTRYPOINT").orElseThrow().arguments());
    assertThat(entry).first().isEqualTo("java");
    assertThat(entry).contains("-Dai.djl.offline=true").endsWith("-jar", "/app/mtlstream.jar");
    assertThat(run.last("EXPOSE").orElseThrow().arguments().split("\\s+"))
        .contains(
            String.valueOf(AppDefaults.metricsPort()), String.valueOf(AppDefaults.servePort()));
  }

  @Test
  void shouldCopyOnlyFilesThatExistAndTheDockerContextKeeps() {
    Dockerfile d = Dockerfile.parse(DeployFiles.read(AppDefaults.DOCKERFILE));
    List<String> kept =
        DeployFiles.read(DeployFiles.path(".dockerignore"))
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("!"))
            .map(l -> l.substring(1))
            .toList();
    Set<String> earlierStages = new HashSet<>();
    for (Dockerfile.Stage stage : d.stages()) {
      for (Dockerfile.Instruction copy : stage.all("COPY")) {
        var from = Dockerfile.flag(copy.arguments(), "from");
        if (from.isPresent()) {
          assertThat(earlierStages).as("COPY --from").contains(from.get());
          continue;
        }
        for (String src : Dockerfile.copySources(copy.arguments())) {
          assertThat(DeployFiles.path(src)).as("COPY %s", src).exists();
          assertThat(kept).as(".dockerignore keeps %s", src).anyMatch(k -> within(src, k));
        }
      }
      earlierStages.add(stage.name());
    }
  }

  /** Whether {@code path} is {@code dir} or below it ("src" is within "src/"). */
  private static boolean within(String path, String dir) {
    String p = path.replaceFirst("^\\./", "").replaceFirst("/$", "");
    String d = dir.replaceFirst("^\\./", "").replaceFirst("/$", "");
    return p.equals(d) || p.startsWith(d + "/");
  }
}
