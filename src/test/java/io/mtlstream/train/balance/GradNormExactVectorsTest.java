package io.mtlstream.train.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three exact single-update vectors of docs/DESIGN.md (SGD on w, then renormalise, no clamp
 * active). R is fed through the {@code baseline} strategy (baselineLosses = R), which establishes
 * every reference on the first update, so that update is already a real weight update.
 */
class GradNormExactVectorsTest {

  private static final double TOL = 1e-6;

  record Case(
      String name,
      double[] n,
      double[] w,
      double[] l,
      double[] r,
      double alpha,
      double lr,
      double meanG,
      double[] rates,
      double[] targets,
      double gradLoss,
      double[] gradient,
      double[] after) {

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
            new Case(
                "A",
                v(2.0, 0.5),
                v(1, 1),
                v(0.5, 2.0),
                v(1.0, 4.0),
                0.5,
                0.1,
                1.25,
                v(1, 1),
                v(1.25, 1.25),
                1.5,
                v(2.0, -0.5),
                v(0.864865, 1.135135)),
            new Case(
                "B",
                v(2.0, 0.5),
                v(1, 1),
                v(0.5, 3.0),
                v(1.0, 4.0),
                0.5,
                0.1,
                1.25,
                v(0.8, 1.2),
                v(1.118034, 1.369306),
                1.751272,
                v(2.0, -0.5),
                v(0.864865, 1.135135)),
            new Case(
                "C",
                v(3.0, 1.0, 0.2),
                v(0.5, 1.0, 1.5),
                v(1, 1, 1),
                v(2.0, 1.0, 0.5),
                1.5,
                0.05,
                0.933333,
                v(0.428571, 0.857143, 1.714286),
                v(0.261861, 0.740656, 2.094892),
                3.292374,
                v(3.0, 1.0, -0.2),
                v(0.373665, 1.014235, 1.612100)))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "case {0}")
  @MethodSource("cases")
  void closedFormStepShouldMatchThePublishedVector(Case c) {
    double[] relative = new double[c.l().length];
    boolean[] active = new boolean[c.l().length];
    for (int i = 0; i < relative.length; i++) {
      relative[i] = c.l()[i] / c.r()[i];
      active[i] = true;
    }

    GradNormStep step = GradNormStep.compute(c.n(), c.w(), relative, active, c.alpha());

    assertThat(step.meanWeightedNorm()).isCloseTo(c.meanG(), within(TOL));
    assertClose(step.inverseRates(), c.rates());
    assertClose(step.targets(), c.targets());
    assertThat(step.gradLoss()).isCloseTo(c.gradLoss(), within(TOL));
    assertClose(step.weightGradient(), c.gradient());
  }

  @ParameterizedTest(name = "case {0}")
  @MethodSource("cases")
  void balancerShouldTakeOneSgdStepAndRenormalise(Case c) {
    int t = c.n().length;
    var settings =
        GradNormSettings.defaults()
            .withAlpha(c.alpha())
            .withWeightLr(c.lr())
            .withOptimizer(WeightOptimizer.Kind.SGD);
    var balancer = new GradNormBalancer(t, settings);
    balancer.overrideWeights(c.w());

    balancer.update(Inputs.allPresent(c.l(), c.n(), c.r()));

    BalancerReport report = balancer.report();
    assertThat(report.warmingUp()).isFalse();
    assertClose(report.references(), c.r());
    assertClose(report.inverseRates(), c.rates());
    assertClose(report.targets(), c.targets());
    assertThat(report.gradLoss()).isCloseTo(c.gradLoss(), within(TOL));
    assertThat(Inputs.sum(report.weightedNorms()) / t).isCloseTo(c.meanG(), within(TOL));
    assertClose(balancer.weights(), c.after());
    assertThat(Inputs.sum(balancer.weights())).isCloseTo(t, within(1e-12));
  }

  private static void assertClose(double[] actual, double[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], within(TOL));
    }
  }

  private static double[] v(double... values) {
    return values;
  }
}
