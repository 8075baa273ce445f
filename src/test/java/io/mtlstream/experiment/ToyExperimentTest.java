package io.mtlstream.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GradNorm's acceptance protocol (docs/DESIGN.md, paper Sec. 4) at a reduced size: fewer steps and
 * held-out samples than the README's full runs, same tasks, network, α and optimizers; three seeds.
 * Runs are bit-reproducible for a fixed native thread count, so the outcome is stable.
 */
class ToyExperimentTest {

  private static final double[] TWO = {1, 100};
  private static final double[] TEN = {48, 3, 54, 16, 9, 30, 52, 26, 47, 81};

  @Test
  void shouldRaiseTheSmallTaskWeightAndBeatEqualWeightsOnTwoTasks() {
    ToyExperiment.Config config = ToyExperiment.Config.paper(TWO, 800).withSize(800, 100, 500);
    double gradNormLoss = 0;
    double equalLoss = 0;
    for (long seed = 0; seed < 3; seed++) {
      ToyExperiment.Run gradNorm = ToyExperiment.run(config, "gradnorm", seed);
      ToyExperiment.Run equal = ToyExperiment.run(config, "equal", seed);

      assertThat(gradNorm.weights()[0]).as("w0, seed %d", seed).isGreaterThan(1.5);
      assertThat(gradNorm.weights()[1]).as("w1, seed %d", seed).isLessThan(0.5);
      assertThat(gradNorm.rejectedSteps()).isZero();
      gradNormLoss += gradNorm.normalizedTestLoss();
      equalLoss += equal.normalizedTestLoss();
    }
    assertThat(gradNormLoss / 3).isLessThan(equalLoss / 3);
  }

  @Test
  void shouldOrderTenTaskWeightsByInverseScaleAndBeatEqualWeights() {
    ToyExperiment.Config config = ToyExperiment.Config.paper(TEN, 500).withSize(500, 50, 500);
    List<ToyExperiment.Run> gradNorm = new ArrayList<>();
    List<ToyExperiment.Run> equal = new ArrayList<>();
    for (long seed = 0; seed < 3; seed++) {
      gradNorm.add(ToyExperiment.run(config, "gradnorm", seed));
      equal.add(ToyExperiment.run(config, "equal", seed));
    }
    ToySummary g = ToySummary.of("gradnorm", TEN, gradNorm);
    ToySummary e = ToySummary.of("equal", TEN, equal);
    for (ToyExperiment.Run run : gradNorm) {
      double[] inverse = new double[TEN.length];
      for (int i = 0; i < TEN.length; i++) {
        inverse[i] = 1 / TEN[i];
      }
      assertThat(Spearman.correlation(run.weights(), inverse))
          .as("Spearman(w, 1/σ), seed %d", run.seed())
          .isGreaterThanOrEqualTo(0.9);
    }
    assertThat(g.testLossMean()).isLessThan(e.testLossMean());
  }
}
