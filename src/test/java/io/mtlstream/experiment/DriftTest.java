package io.mtlstream.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task's scale changes mid-stream: σ = (1, 100) swaps to (100, 1) at step 400. GradNorm with the
 * default reference must follow — the weight moves to the task that is now small.
 */
class DriftTest {

  @Test
  void shouldRebalanceWeightsAfterTheTaskScalesSwap() {
    List<ToyExperiment.Drift> swap =
        List.of(new ToyExperiment.Drift(400, 0, 100), new ToyExperiment.Drift(400, 1, 1));
    ToyExperiment.Config config =
        ToyExperiment.Config.paper(new double[] {1, 100}, 800)
            .withSize(800, 100, 200)
            .withDrifts(swap, 50);
    ToyExperiment.Run run = ToyExperiment.run(config, "gradnorm", 0);

    double[] beforeDrift = run.weightTrace().get(400 / 50 - 1); // step 350
    assertThat(beforeDrift[0]).isGreaterThan(1.5);
    assertThat(beforeDrift[1]).isLessThan(0.5);
    double[] after = run.weights();
    assertThat(after[1]).isGreaterThan(1.5);
    assertThat(after[0]).isLessThan(0.5);
    for (double[] w : run.weightTrace()) {
      assertThat(w[0] + w[1]).isCloseTo(2.0, org.assertj.core.api.Assertions.within(1e-9));
    }
  }
}
