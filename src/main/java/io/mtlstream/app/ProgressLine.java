package io.mtlstream.app;

import io.mtlstream.metrics.TrainingReport;
import java.util.Locale;
import java.util.Map;

/** One human-readable line per training report, for the demo's live progress. */
final class ProgressLine {

  private ProgressLine() {}

  static String of(TrainingReport r) {
    long events = r.events().values().stream().mapToLong(Long::longValue).sum();
    return String.format(
        Locale.ROOT,
        "step %6d | %9d events | %7.0f ev/s | w %s | loss %s",
        r.step(),
        events,
        r.eventsPerSecond(),
        join(r.weights(), "%.3f"),
        join(r.losses(), "%.4g"));
  }

  private static String join(Map<String, Double> values, String format) {
    StringBuilder sb = new StringBuilder();
    values.forEach(
        (task, v) ->
            sb.append(sb.length() == 0 ? "" : " ")
                .append(task)
                .append('=')
                .append(Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v)));
    return sb.toString();
  }
}
