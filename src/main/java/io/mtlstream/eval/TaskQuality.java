package io.mtlstream.eval;

/**
 * Prequential (test-then-train) quality of one task: every event is scored by the model before the
 * model trains on it. Fading means over the evaluator's horizon; NaN where a measure does not apply
 * to the task type or nothing was seen yet.
 *
 * @param events events scored so far
 * @param loss fading mean of the task loss
 * @param accuracy fading accuracy (binary: p ≥ 0.5; multiclass: argmax)
 * @param auc ROC AUC over the most recent window of events (binary)
 * @param mae fading mean absolute error over all outputs (regression)
 */
public record TaskQuality(long events, double loss, double accuracy, double auc, double mae) {}
