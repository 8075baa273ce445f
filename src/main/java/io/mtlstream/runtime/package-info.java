/**
 * The learner process, assembled from configuration: {@link io.mtlstream.runtime.LearnerApp} (the
 * Kafka Streams learner with its meters), the configuration keys and their parsing ({@code
 * config}), the Prometheus endpoint and the native heap trimmer. Below the command line ({@code
 * app}) and the benchmarks ({@code bench}), which both run it.
 */
package io.mtlstream.runtime;
