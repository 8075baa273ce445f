package io.mtlstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "apache/kafka:4.3.1",
        "prom/prometheus:v3.5.0",
        "eclipse-temurin:17.0.16_8-jre-noble",
        "maven:3.9.11-eclipse-temurin-17",
        "registry.example.com:5000/ml/mtlstream:0.1.0",
        "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      })
  void shouldAcceptFullVersionTagsAndDigests(String reference) {
    assertThat(ImageRef.parse(reference).pinned()).as(reference).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "apache/kafka",
        "apache/kafka:latest",
        "eclipse-temurin:17-jre",
        "maven:3.9-eclipse-temurin-17",
        "registry.example.com:5000/ml/mtlstream",
        "busybox@sha256:abc"
      })
  void shouldRejectMissingLatestAndFloatingTags(String reference) {
    assertThat(ImageRef.parse(reference).pinned()).as(reference).isFalse();
  }
}
