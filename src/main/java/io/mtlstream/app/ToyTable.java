package io.mtlstream.app;

import io.mtlstream.experiment.ToySummary;
import java.util.List;
import java.util.Locale;

/** Renders toy-experiment summaries as a plain-text table. */
final class ToyTable {

  private ToyTable() {}

  static String render(double[] sigmas, List<ToySummary> summaries) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "sigmas %s%n", join(sigmas, "%.4g")));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-12s %-22s %-8s %s%n",
            "balancer",
            "test loss Σ L/L(0)",
            "ρ(w,1/σ)",
            "final w (mean ± std) | w·σ"));
    for (ToySummary s : summaries) {
      StringBuilder w = new StringBuilder();
      for (int i = 0; i < sigmas.length; i++) {
        w.append(
            String.format(
                Locale.ROOT,
                "%s%.3f±%.3f",
                i == 0 ? "" : " ",
                s.weightMean()[i],
                s.weightStd()[i]));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%-12s %-22s %-8s %s | %s%n",
              s.balancer(),
              String.format(Locale.ROOT, "%.4f ± %.4f", s.testLossMean(), s.testLossStd()),
              Double.isNaN(s.spearmanMean())
                  ? "n/a"
                  : String.format(Locale.ROOT, "%.3f", s.spearmanMean()),
              w,
              join(s.weightSigmaMean(), "%.3g")));
    }
    return sb.toString();
  }

  static String renderTraces(int every, java.util.Map<String, List<double[]>> traces) {
    StringBuilder sb = new StringBuilder();
    for (var e : traces.entrySet()) {
      sb.append(
          String.format(
              Locale.ROOT, "weights of seed 0, %s, every %d steps:%n", e.getKey(), every));
      for (int i = 0; i < e.getValue().size(); i++) {
        sb.append(
            String.format(
                Locale.ROOT, "  step %6d  %s%n", i * every, join(e.getValue().get(i), "%.3f")));
      }
    }
    return sb.toString();
  }

  private static String join(double[] values, String format) {
    StringBuilder sb = new StringBuilder();
    for (double v : values) {
      sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, format, v));
    }
    return sb.toString();
  }
}
