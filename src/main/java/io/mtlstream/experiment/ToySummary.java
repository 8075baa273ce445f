package io.mtlstream.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates {@link ToyExperiment.Run}s of one balancer over seeds: mean and sample standard
 * deviation of the final weights, of w_i·σ_i and of the task-normalised test loss, and the Spearman
 * correlation of w with 1/σ. Immutable.
 */
public record ToySummary(
    String balancer,
    int seeds,
    double[] weightMean,
    double[] weightStd,
    double[] weightSigmaMean,
    double testLossMean,
    double testLossStd,
    double spearmanMean,
    double[] testLossBySeed) {

  public static ToySummary of(String balancer, double[] sigmas, List<ToyExperiment.Run> runs) {
    int t = sigmas.length;
    int n = runs.size();
    double[][] w = new double[t][n];
    double[][] ws = new double[t][n];
    double[] loss = new double[n];
    double[] rho = new double[n];
    double[] inverse = new double[t];
    for (int i = 0; i < t; i++) {
      inverse[i] = 1 / sigmas[i];
    }
    for (int s = 0; s < n; s++) {
      ToyExperiment.Run r = runs.get(s);
      for (int i = 0; i < t; i++) {
        w[i][s] = r.weights()[i];
        ws[i][s] = r.weightsTimesSigma()[i];
      }
      loss[s] = r.normalizedTestLoss();
      rho[s] = Spearman.correlation(r.weights(), inverse);
    }
    double[] wm = new double[t];
    double[] wsd = new double[t];
    double[] wsm = new double[t];
    for (int i = 0; i < t; i++) {
      wm[i] = mean(w[i]);
      wsd[i] = std(w[i]);
      wsm[i] = mean(ws[i]);
    }
    return new ToySummary(balancer, n, wm, wsd, wsm, mean(loss), std(loss), mean(rho), loss);
  }

  /** A JSON-friendly view (lists and maps only). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("balancer", balancer);
    m.put("seeds", seeds);
    m.put("weights", list(weightMean));
    m.put("weightsStd", list(weightStd));
    m.put("weightsTimesSigma", list(weightSigmaMean));
    m.put("testLossMean", testLossMean);
    m.put("testLossStd", testLossStd);
    m.put("testLossBySeed", list(testLossBySeed));
    m.put("spearmanWeightInverseSigma", spearmanMean);
    return m;
  }

  static List<Double> list(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return out;
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  static double std(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }
}
