/**
 * Serving: follow the snapshot topic and answer predictions over HTTP (DESIGN.md decision 7).
 *
 * <p>{@link io.mtlstream.serve.SnapshotSubscriber} keeps the newest verified snapshot of a model
 * loaded (hot swap, previous model kept when a snapshot is rejected); {@link
 * io.mtlstream.serve.ServeServer} exposes it; {@link io.mtlstream.serve.PredictLoad} measures it.
 * Wiring for a process:
 *
 * <pre>{@code
 * var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * try (var models = SnapshotSubscriber.builder().setBootstrapServers(bootstrap)
 *          .optModelId("default").optMeterRegistry(registry).build().start();
 *      var server = ServeServer.builder().setModels(models).optRegistry(registry)
 *          .optPort(8080).build().start()) {
 *   ... // until shutdown
 * }
 * }</pre>
 *
 * <h2>HTTP API</h2>
 *
 * <p>Every body is JSON ({@code application/json}) except {@code /metrics}. Errors are {@code
 * {"error": code, "message": text}} with a 4xx status for bad requests — {@code bad_json}, {@code
 * bad_request}, {@code wrong_feature_count}, {@code non_finite} (400), {@code unknown_model},
 * {@code not_found} (404), {@code method_not_allowed} (405), {@code body_too_large}, {@code
 * too_many_rows} (413) — and 503 {@code no_model} (with {@code Retry-After: 1}) while the model has
 * no snapshot loaded yet; 500 {@code internal} only for a server bug.
 *
 * <dl>
 *   <dt>{@code POST /predict}
 *   <dd>Body {@code {"model": "default", "features": [f0, f1, ...]}} for one row, or {@code
 *       {"rows": [[...], [...]]}} for up to 1024 rows; {@code model} is optional (the server's
 *       default model). Every row has exactly the model's input count of finite numbers (rounded to
 *       float32). Answer:
 *       <pre>{@code
 * {"model": "default", "step": 5120, "version": "<sha256 of the snapshot>", "rows": 1,
 *  "outputs": {"rating":   {"type": "regression", "values": [3.2]},
 *              "click":    {"type": "binary", "probability": 0.71},
 *              "category": {"type": "multiclass", "probabilities": [0.1, 0.2, 0.7]}}}
 * }</pre>
 *       For a {@code rows} request each of {@code values}, {@code probability} and {@code
 *       probabilities} is an array with one entry per row, in request order. All outputs of one
 *       answer come from the one snapshot named by {@code step} and {@code version}.
 *   <dt>{@code GET /model[?model=id]}
 *   <dd>{@code {"model", "version" (sha256), "step", "balancer", "taskWeights": {task: w},
 *       "inputs", "tasks": [{"name", "type", "outputs"}], "parameterCount", "createdAtMillis",
 *       "newestEventTimestamp", "loadedAtMillis", "ageSeconds" (now − created), "freshnessSeconds"
 *       (now − newest trained event; null if none)}}.
 *   <dt>{@code GET /health/live}
 *   <dd>200 {@code {"status": "live"}} while the process answers.
 *   <dt>{@code GET /health/ready}
 *   <dd>200 {@code {"status": "ready", "model", "step", "version"}} once the default model is
 *       loaded, 503 {@code {"status": "not_ready"}} before.
 *   <dt>{@code GET /metrics}
 *   <dd>Prometheus text: {@code mtl_serve_requests_seconds} (count, sum, max, p50/p99 by {@code
 *       endpoint} and {@code outcome}: success, client_error, unavailable, server_error), {@code
 *       mtl_serve_errors_requests_total} (by {@code reason}), {@code mtl_serve_predict_rows},
 *       {@code mtl_serve_overloaded_requests_total}, {@code
 *       mtl_serve_snapshots_loaded_snapshots_total}, {@code
 *       mtl_serve_snapshots_rejected_snapshots_total} (by {@code reason}), {@code
 *       mtl_serve_snapshot_load_seconds}, {@code mtl_serve_model_age_seconds}, {@code
 *       mtl_serve_model_freshness_seconds}, {@code mtl_serve_model_steps}, all tagged {@code model}
 *       where they concern one.
 * </dl>
 */
package io.mtlstream.serve;
