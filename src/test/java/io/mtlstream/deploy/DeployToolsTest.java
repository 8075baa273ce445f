package io.mtlstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployment files through the real tools where the machine has them ({@code kubectl
 * kustomize}, {@code promtool}); each test reports itself skipped otherwise. Nothing contacts a
 * cluster.
 */
class DeployToolsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "deploy/k8s/base",
        "deploy/k8s/overlays/example",
        "deploy/k8s/strimzi",
        "deploy/k8s/monitoring"
      })
  void shouldRenderWithKustomizeAndStillPinEveryImage(String dir) throws Exception {
    assumeTrue(onPath("kubectl"), "kubectl not installed");
    Result r = run("kubectl", "kustomize", DeployFiles.path(dir).toString());
    assertThat(r.exit()).as(r.output()).isZero();

    Path rendered = Files.createTempFile("kustomize", ".yaml");
    try {
      Files.writeString(rendered, r.output());
      List<JsonNode> objects = DeployFiles.yamlDocuments(rendered);
      assertThat(objects).isNotEmpty();
      for (JsonNode o : objects) {
        for (JsonNode c : K8sObjects.containers(o)) {
          String image = c.path("image").asText();
          assertThat(ImageRef.parse(image).pinned()).as("%s in %s", image, dir).isTrue();
          K8sObjects.threads(K8sObjects.env(c).get("JAVA_TOOL_OPTIONS"))
              .ifPresent(
                  t ->
                      assertThat(
                              K8sObjects.cpus(
                                  c.path("resources").path("limits").path("cpu").asText("0")))
                          .as("rendered cpu limit of %s", c.path("name"))
                          .isEqualTo(t.doubleValue()));
        }
      }
    } finally {
      Files.deleteIfExists(rendered);
    }
  }

  @Test
  void shouldPassPromtoolsConfigCheck() throws Exception {
    assumeTrue(onPath("promtool"), "promtool not installed");
    Result r =
        run(
            "promtool",
            "check",
            "config",
            "--syntax-only",
            DeployFiles.path("deploy/prometheus/prometheus.yml").toString());
    assertThat(r.exit()).as(r.output()).isZero();
  }

  private record Result(int exit, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static boolean onPath(String tool) {
    List<String> dirs =
        new ArrayList<>(
            List.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)));
    return dirs.stream().anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
  }
}
