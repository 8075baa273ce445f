# mtlstream CPU image: one image for every sub-command (learn, serve, generate, snapshot, ...).
#   docker build -t mtlstream:0.1.0 .
#   docker run --rm mtlstream:0.1.0 --help
# The jar bundles PyTorch's linux-x86_64 CPU natives only, so the image is linux/amd64.
# GPU variant: deploy/README.md. Tags are pinned; bump them deliberately (digests are better still).

# ---- build: the shaded jar, then the DJL native cache -------------------------------------
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY src ./src
# The cache mount keeps ~/.m2 between builds; the tests run in CI, not here.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q package -DskipTests \
 && cp target/mtlstream.jar /mtlstream.jar
# Extract the bundled PyTorch natives (~450 MB) once, here, instead of in every container start.
# DJL only reads an existing cache dir, so the runtime can ship it read-only; it must be
# world-readable (DJL creates it 0700).
COPY deploy/docker/WarmDjl.java /tmp/WarmDjl.java
RUN DJL_CACHE_DIR=/opt/djl OPT_OUT_TRACKING=true \
    java -Dai.djl.offline=true -cp /mtlstream.jar /tmp/WarmDjl.java \
 && chmod -R a+rX,go-w /opt/djl

# ---- runtime ------------------------------------------------------------------------------
FROM eclipse-temurin:17.0.16_8-jre-noble AS runtime

ARG MTL_UID=10001
RUN groupadd --system --gid "${MTL_UID}" mtl \
 && useradd --system --uid "${MTL_UID}" --gid mtl --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin mtl \
 && mkdir -p /app/bin /data \
 && chown mtl:mtl /data

COPY --from=build /opt/djl /opt/djl
COPY --from=build /mtlstream.jar /app/mtlstream.jar
COPY --chmod=0755 deploy/docker/http-ok.sh /app/bin/http-ok

# DJL: never download (the natives are in the jar and pre-extracted to /opt/djl), no tracking.
# MTL_METRICS_HOST: inside a container the metrics endpoint must listen on all interfaces
# (the default, 127.0.0.1, is unreachable for Prometheus); the network isolates it.
ENV DJL_CACHE_DIR=/opt/djl \
    OPT_OUT_TRACKING=true \
    MTL_METRICS_HOST=0.0.0.0

# Kafka Streams state (state.dir) belongs on this volume; relative paths resolve here.
VOLUME ["/data"]
WORKDIR /data
USER mtl:mtl

# learner metrics (mtl.metrics.port) and serve (--port)
EXPOSE 9400 8080

# Heap at most half the memory limit: PyTorch tensors, RocksDB and the DJL natives live outside
# the Java heap. Thread counts (ai.djl.pytorch.num_threads, default = CPUs the JVM sees) and
# other -D flags go in JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-Dai.djl.offline=true", "-jar", "/app/mtlstream.jar"]
CMD ["--help"]
