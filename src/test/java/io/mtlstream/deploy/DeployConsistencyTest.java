package io.mtlstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mtlstream.experiment.ToyTasks;
import io.mtlstream.kafka.TopicSpec;
import io.mtlstream.runtime.config.MtlConfig;
import io.mtlstream.runtime.config.Settings;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskType;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * The deployment agrees with the application: ports, topics, the state dir and the model are
 * checked against the code's own defaults ({@code MtlKeys}, {@code TopicSpec}, {@code serve}'s
 * options) and against the config each container loads (file + image ENV + container env, through
 * {@link MtlConfig} and {@link Settings} as the application does).
 */
class DeployConsistencyTest {

  private static final ComposeFile COMPOSE =
      ComposeFile.load(DeployFiles.path("docker-compose.yml"));
  private static final Path BASE = DeployFiles.path("deploy/k8s/base");
  private static final List<JsonNode> BASE_OBJECTS = K8sObjects.objects(BASE);
  private static final JsonNode LEARNER_SET =
      K8sObjects.only(BASE_OBJECTS, "StatefulSet", "mtlstream-learner");
  private static final JsonNode LEARNER = K8sObjects.container(LEARNER_SET, "learner");
  private static final JsonNode SERVE =
      K8sObjects.container(K8sObjects.only(BASE_OBJECTS, "Deployment", "mtlstream-serve"), "serve");

  @Test
  void shouldExposeTheLearnerMetricsPortWherePrometheusAndTheProbesLook() {
    int port = AppDefaults.metricsPort();
    InetSocketAddress compose = Settings.metricsAddress(composeLearnerConfig()).orElseThrow();
    assertThat(compose.getHostString()).isEqualTo("0.0.0.0");
    assertThat(compose.getPort()).isEqualTo(port);
    assertThat(COMPOSE.publishedContainerPorts("learner")).contains(port);
    assertThat(COMPOSE.service("learner").path("healthcheck").path("test").toString())
        .contains("\"" + port + "\"");
    assertThat(prometheusTargets()).contains("learner:" + port);

    InetSocketAddress k8s = Settings.metricsAddress(k8sLearnerConfig()).orElseThrow();
    assertThat(k8s.getHostString()).isEqualTo("0.0.0.0");
    assertThat(k8s.getPort()).isEqualTo(port);
    assertThat(K8sObjects.containerPort(LEARNER, "metrics")).isEqualTo(port);
    assertThat(annotation(LEARNER_SET, "prometheus.io/port")).isEqualTo(String.valueOf(port));
    JsonNode service = K8sObjects.only(BASE_OBJECTS, "Service", "mtlstream-learner");
    assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(port);
  }

  @Test
  void shouldServeOnTheServeCommandsPortOnAllInterfaces() {
    int port = AppDefaults.servePort();
    assertThat(AppDefaults.serveHost())
        .as("serve's default host is loopback")
        .isNotEqualTo("0.0.0.0");

    assertThat(COMPOSE.command("serve")).first().isEqualTo("serve");
    assertThat(COMPOSE.option("serve", "--port")).hasValue(String.valueOf(port));
    assertThat(COMPOSE.option("serve", "--host")).hasValue("0.0.0.0");
    assertThat(COMPOSE.publishedContainerPorts("serve")).contains(port);
    assertThat(prometheusTargets()).contains("serve:" + port);

    assertThat(K8sObjects.option(SERVE, "--port")).hasValue(String.valueOf(port));
    assertThat(K8sObjects.option(SERVE, "--host")).hasValue("0.0.0.0");
    assertThat(K8sObjects.containerPort(SERVE, "http")).isEqualTo(port);
    JsonNode service = K8sObjects.only(BASE_OBJECTS, "Service", "mtlstream-serve");
    assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(port);
    JsonNode deployment = K8sObjects.only(BASE_OBJECTS, "Deployment", "mtlstream-serve");
    assertThat(annotation(deployment, "prometheus.io/port")).isEqualTo(String.valueOf(port));
  }

  @Test
  void shouldKeepTheLearnerStateDirOnAVolume() {
    String composeDir = Settings.streams(composeLearnerConfig()).getProperty("state.dir");
    assertThat(COMPOSE.mounts("learner"))
        .as("compose learner state.dir %s", composeDir)
        .anyMatch(m -> !m.bind() && composeDir.startsWith(m.target() + "/"));

    String k8sDir = Settings.streams(k8sLearnerConfig()).getProperty("state.dir");
    String claim =
        LEARNER_SET
            .path("spec")
            .path("volumeClaimTemplates")
            .get(0)
            .path("metadata")
            .path("name")
            .asText();
    assertThat(LEARNER.path("volumeMounts"))
        .as("k8s learner state.dir %s on PVC %s", k8sDir, claim)
        .anyMatch(
            m ->
                m.path("name").asText().equals(claim)
                    && k8sDir.startsWith(m.path("mountPath").asText() + "/"));
  }

  @Test
  void shouldFeedTheComposeLearnerWhatTheGeneratorPublishes() {
    MtlConfig config = composeLearnerConfig();
    assertThat(COMPOSE.command("generator")).first().isEqualTo("generate");
    assertThat(COMPOSE.option("generator", "--bootstrap-servers"))
        .hasValue(String.valueOf(config.kafka().get("bootstrap.servers")));
    assertThat(COMPOSE.option("generator", "--count")).as("runs until stopped").hasValue("0");
    assertThat(COMPOSE.option("generator", "--topic-prefix")).isEmpty();
    int tasks = COMPOSE.option("generator", "--sigmas").orElseThrow().split(",").length;

    ModelSpec model = Settings.model(config);
    assertThat(model.inputs()).isEqualTo(ToyTasks.INPUTS);
    assertThat(model.tasks()).hasSize(tasks);
    for (int i = 0; i < tasks; i++) {
      assertThat(model.tasks().get(i).name()).isEqualTo("task" + i);
      assertThat(model.tasks().get(i).type()).isEqualTo(TaskType.REGRESSION);
      assertThat(model.tasks().get(i).outputs()).isEqualTo(ToyTasks.OUTPUTS);
    }
    assertThat(Settings.topics(config).topics())
        .containsExactlyElementsOf(
            IntStream.range(0, tasks)
                .mapToObj(i -> TopicSpec.events("task" + i, 1).name())
                .toList());
  }

  @Test
  void shouldDeclareStrimziTopicsAsTheLearnerProvisionsThem() {
    List<TopicSpec> expected = Settings.topicSpecs(k8sLearnerConfig());
    assertThat(expected)
        .extracting(TopicSpec::name)
        .contains(TopicSpec.DEAD_LETTER, TopicSpec.METRICS, TopicSpec.SNAPSHOTS);
    Map<String, JsonNode> declared = new HashMap<>();
    for (JsonNode t : K8sObjects.objects(DeployFiles.path("deploy/k8s/strimzi"))) {
      assertThat(t.path("kind").asText()).isEqualTo("KafkaTopic");
      declared.put(
          t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText()), t);
    }
    assertThat(declared.keySet())
        .containsExactlyInAnyOrderElementsOf(expected.stream().map(TopicSpec::name).toList());
    for (TopicSpec spec : expected) {
      JsonNode topic = declared.get(spec.name()).path("spec");
      assertThat(topic.path("partitions").asInt())
          .as(spec.name())
          .isGreaterThanOrEqualTo(spec.partitions());
      spec.configs()
          .forEach(
              (key, value) -> {
                String actual = topic.path("config").path(key).asText(null);
                if (key.equals("max.message.bytes")) {
                  assertThat(Long.parseLong(actual))
                      .as("%s %s", spec.name(), key)
                      .isGreaterThanOrEqualTo(Long.parseLong(value));
                } else {
                  assertThat(actual).as("%s %s", spec.name(), key).isEqualTo(value);
                }
              });
    }
  }

  @Test
  void shouldRunAComposeBrokerOfTheClientsVersionSizedForSnapshotsAndTransactions() {
    assertThat(ImageRef.parse(COMPOSE.service("kafka").path("image").asText()).tag())
        .isEqualTo(AppInfoParser.getVersion());
    Map<String, String> env = COMPOSE.environment("kafka");
    long snapshot = TopicSpec.DEFAULT_SNAPSHOT_MAX_BYTES;
    assertThat(Long.parseLong(env.get("KAFKA_MESSAGE_MAX_BYTES"))).isGreaterThanOrEqualTo(snapshot);
    assertThat(Long.parseLong(env.get("KAFKA_REPLICA_FETCH_MAX_BYTES")))
        .isGreaterThanOrEqualTo(snapshot);
    assertThat(Long.parseLong(env.getOrDefault("KAFKA_LOG_SEGMENT_BYTES", "1073741824")))
        .isGreaterThan(snapshot);
    assertThat(env)
        .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
        .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
        .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
    String bootstrap = String.valueOf(composeLearnerConfig().kafka().get("bootstrap.servers"));
    assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).contains("//" + bootstrap);
    assertThat(COMPOSE.service("kafka").path("healthcheck").path("test").toString())
        .contains("/opt/kafka/bin/kafka-broker-api-versions.sh");
  }

  @Test
  void shouldGivePyTorchAsManyThreadsAsTheCpuLimit() {
    List<String> checked = new ArrayList<>();
    for (String s : COMPOSE.serviceNames()) {
      var threads = K8sObjects.threads(COMPOSE.environment(s).get("JAVA_TOOL_OPTIONS"));
      if (threads.isPresent()) {
        String cpus =
            COMPOSE
                .service(s)
                .path("deploy")
                .path("resources")
                .path("limits")
                .path("cpus")
                .asText("0");
        assertThat(Double.parseDouble(cpus))
            .as("compose %s cpus", s)
            .isEqualTo(threads.get().doubleValue());
        checked.add("compose " + s);
      }
    }
    for (JsonNode o : K8sObjects.objects(DeployFiles.path("deploy/k8s"))) {
      for (JsonNode c : K8sObjects.containers(o)) {
        var threads = K8sObjects.threads(K8sObjects.env(c).get("JAVA_TOOL_OPTIONS"));
        if (threads.isPresent()) {
          String where = o.path("metadata").path("name").asText() + "/" + c.path("name").asText();
          String limit = c.path("resources").path("limits").path("cpu").asText("0");
          assertThat(K8sObjects.cpus(limit))
              .as("%s cpu limit", where)
              .isEqualTo(threads.get().doubleValue());
          checked.add(where);
        }
      }
    }
    assertThat(checked).hasSizeGreaterThanOrEqualTo(4).contains("compose learner");
  }

  @Test
  void shouldStartComposeServicesOnlyAfterTheirDependenciesAreHealthy() {
    for (String s : COMPOSE.serviceNames()) {
      COMPOSE
          .service(s)
          .path("depends_on")
          .fields()
          .forEachRemaining(
              d -> {
                String condition = d.getValue().path("condition").asText();
                assertThat(condition)
                    .as("%s -> %s", s, d.getKey())
                    .isIn("service_healthy", "service_started", "service_completed_successfully");
                if (condition.equals("service_healthy")) {
                  assertThat(COMPOSE.service(d.getKey()).has("healthcheck"))
                      .as("%s has a healthcheck", d.getKey())
                      .isTrue();
                }
              });
    }
    for (String s : List.of("learner", "generator", "serve")) {
      assertThat(COMPOSE.service(s).path("depends_on").path("kafka").path("condition").asText())
          .as(s)
          .isEqualTo("service_healthy");
    }
    assertThat(
            COMPOSE.service("serve").path("depends_on").path("learner").path("condition").asText())
        .isEqualTo("service_healthy");
  }

  @Test
  void shouldMountGrafanaProvisioningWhereItLoadsDashboardsFrom() {
    String dashboards = "/var/lib/grafana/dashboards";
    assertThat(COMPOSE.mountOf("grafana", "/etc/grafana/provisioning"))
        .hasValueSatisfying(m -> assertThat(m.source()).isEqualTo("./grafana/provisioning"));
    assertThat(COMPOSE.mountOf("grafana", dashboards))
        .hasValueSatisfying(m -> assertThat(m.source()).isEqualTo("./grafana/dashboards"));
    assertThat(COMPOSE.environment("grafana"))
        .containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true")
        .containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer");
    Path provider = DeployFiles.path("grafana/provisioning/dashboards/mtlstream.yml");
    if (provider.toFile().isFile()) {
      assertThat(DeployFiles.yaml(provider).path("providers"))
          .allSatisfy(
              p -> assertThat(p.path("options").path("path").asText()).isEqualTo(dashboards));
    }
    Path datasource = DeployFiles.path("grafana/provisioning/datasources/prometheus.yml");
    if (datasource.toFile().isFile()) {
      assertThat(DeployFiles.yaml(datasource).path("datasources"))
          .anySatisfy(d -> assertThat(d.path("url").asText()).startsWith("http://prometheus:9090"));
      assertThat(COMPOSE.serviceNames()).contains("prometheus");
    }
  }

  private static MtlConfig composeLearnerConfig() {
    String file = COMPOSE.option("learner", "--config").orElseThrow();
    ComposeFile.Mount mount =
        COMPOSE
            .mountOf("learner", file)
            .orElseThrow(
                () -> new AssertionError("learner's --config " + file + " is not mounted"));
    return AppDefaults.containerConfig(
        COMPOSE.resolve(mount.source()), COMPOSE.environment("learner"));
  }

  /** The base's properties file as the learner container loads it, with its env. */
  private static MtlConfig k8sLearnerConfig() {
    Path file = Path.of(K8sObjects.option(LEARNER, "--config").orElseThrow());
    Path name = file.getFileName();
    JsonNode generator =
        DeployFiles.yaml(BASE.resolve("kustomization.yaml")).path("configMapGenerator").get(0);
    assertThat(generator.path("files").toString()).contains("\"" + name + "\"");
    String volume =
        LEARNER.path("volumeMounts").findParents("mountPath").stream()
            .filter(m -> m.path("mountPath").asText().equals(file.getParent().toString()))
            .map(m -> m.path("name").asText())
            .findFirst()
            .orElseThrow(() -> new AssertionError("--config " + file + " is not mounted"));
    assertThat(LEARNER_SET.path("spec").path("template").path("spec").path("volumes"))
        .anySatisfy(
            v -> {
              assertThat(v.path("name").asText()).isEqualTo(volume);
              assertThat(v.path("configMap").path("name").asText())
                  .isEqualTo(generator.path("name").asText());
            });
    return AppDefaults.containerConfig(BASE.resolve(name), K8sObjects.env(LEARNER));
  }

  private static List<String> prometheusTargets() {
    JsonNode config = DeployFiles.yaml(DeployFiles.path("deploy/prometheus/prometheus.yml"));
    List<String> targets = new ArrayList<>();
    for (JsonNode job : config.path("scrape_configs")) {
      assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
      job.path("static_configs")
          .forEach(s -> s.path("targets").forEach(t -> targets.add(t.asText())));
    }
    return targets;
  }

  private static String annotation(JsonNode workload, String key) {
    return workload
        .path("spec")
        .path("template")
        .path("metadata")
        .path("annotations")
        .path(key)
        .asText();
  }
}
