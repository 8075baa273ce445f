package io.mtlstream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SnapshotModelTest {

  private static final double TOLERANCE = 1e-6;

  /** Counts every array alive in the engine, across all managers. */
  private static int liveArrays() {
    try (NDManager probe = NDManager.newBaseManager()) {
      return probe.getParentManager().getManagedArrays().size();
    }
  }

  private static ModelSpec spec(Activation activation) {
    return new ModelSpec(
        8,
        new int[] {16, 12},
        activation,
        List.of(
            TaskSpec.regression("price", 2, 6),
            TaskSpec.binary("click"),
            TaskSpec.multiclass("category", 3, 5, 4)));
  }

  private static MultiTaskLearner trained(ModelSpec spec, int steps) {
    MultiTaskLearner learner = MultiTaskLearner.create(LearnerSettings.defaults(spec));
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < steps; i++) {
      learner.step(Batches.random(spec, random, 4, 3, 5));
    }
    return learner;
  }

  private static float[] features(SplittableRandom random, int count) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = (float) (random.nextGaussian() * 2);
    }
    return x;
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void shouldPredictWhatTheLearnerPredictsForEveryTaskType(Activation activation) {
    ModelSpec spec = spec(activation);
    SplittableRandom random = new SplittableRandom(11);
    try (MultiTaskLearner learner = trained(spec, 30);
        SnapshotModel model = SnapshotModel.load(spec, learner.parameters())) {
      for (int rows : new int[] {1, 7, 64}) {
        float[] x = features(random, rows * spec.inputs());
        float[][] all = model.predictAll(x, rows);
        for (int t = 0; t < spec.taskCount(); t++) {
          float[] expected = learner.predict(t, x, rows);
          float[] actual = model.predict(t, x, rows);
          assertThat(actual).hasSize(rows * spec.task(t).outputs());
          for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).isCloseTo(expected[i], within(TOLERANCE));
          }
          assertThat(all[t]).containsExactly(actual);
        }
      }
    }
  }

  @Test
  void shouldReturnProbabilitiesForClassificationTasks() {
    ModelSpec spec = spec(Activation.RELU);
    try (MultiTaskLearner learner = trained(spec, 5);
        SnapshotModel model = SnapshotModel.load(spec, learner.parameters())) {
      float[][] out = model.predictAll(features(new SplittableRandom(2), 3 * spec.inputs()), 3);
      assertThat(out[1]).hasSize(3);
      for (float p : out[1]) {
        assertThat(p).isBetween(0f, 1f);
      }
      for (int r = 0; r < 3; r++) {
        double sum = out[2][r * 3] + out[2][r * 3 + 1] + out[2][r * 3 + 2];
        assertThat(sum).isCloseTo(1.0, within(1e-5));
      }
    }
  }

  @Test
  void shouldReadParametersFromABufferViewWithoutConsumingIt() {
    ModelSpec spec = spec(Activation.TANH);
    try (MultiTaskLearner learner = trained(spec, 3)) {
      float[] params = learner.parameters();
      float[] padded = new float[params.length + 5];
      System.arraycopy(params, 0, padded, 2, params.length);
      FloatBuffer view = FloatBuffer.wrap(padded, 2, params.length).slice().asReadOnlyBuffer();
      float[] x = features(new SplittableRandom(4), 2 * spec.inputs());
      try (SnapshotModel model = SnapshotModel.load(spec, view, "cpu")) {
        assertThat(view.position()).isZero();
        assertThat(model.parameterCount()).isEqualTo(params.length);
        assertThat(model.predict(2, x, 2)).containsExactly(learner.predict(2, x, 2));
      }
    }
  }

  @Test
  void shouldRejectParametersOrFeaturesThatDoNotFitTheSpec() {
    ModelSpec spec = spec(Activation.RELU);
    int count = new io.mtlstream.train.nn.ParameterLayout(spec).size();
    assertThatThrownBy(() -> SnapshotModel.load(spec, new float[count - 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected " + count + " parameters");
    try (SnapshotModel model = SnapshotModel.load(spec, new float[count])) {
      assertThatThrownBy(() -> model.predict(0, new float[9], 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1 × 8 features, got 9");
      assertThatThrownBy(() -> model.predict(3, new float[8], 1))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> model.predictAll(new float[0], 0))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void shouldRefusePredictionsAfterClose() {
    ModelSpec spec = spec(Activation.RELU);
    SnapshotModel model =
        SnapshotModel.load(spec, new float[new io.mtlstream.train.nn.ParameterLayout(spec).size()]);
    model.close();
    model.close();
    assertThatThrownBy(() -> model.predict(0, new float[8], 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void shouldGiveConcurrentCallersTheSingleThreadedAnswersAndLeakNoNativeArrays() throws Exception {
    ModelSpec spec = spec(Activation.RELU);
    SplittableRandom random = new SplittableRandom(5);
    List<float[]> inputs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      inputs.add(features(random, 4 * spec.inputs()));
    }
    int before = liveArrays();
    try (MultiTaskLearner learner = trained(spec, 10)) {
      int withLearner = liveArrays();
      try (SnapshotModel model = SnapshotModel.load(spec, learner.parameters())) {
        List<float[][]> expected = inputs.stream().map(x -> model.predictAll(x, 4)).toList();
        int loaded = liveArrays();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
          List<Future<Boolean>> results = new ArrayList<>();
          for (int w = 0; w < 4; w++) {
            int worker = w;
            results.add(
                pool.submit(
                    () -> {
                      for (int i = 0; i < 500; i++) {
                        int k = (i + worker) % inputs.size();
                        float[][] got = model.predictAll(inputs.get(k), 4);
                        for (int t = 0; t < got.length; t++) {
                          if (!java.util.Arrays.equals(got[t], expected.get(k)[t])) {
                            return false;
                          }
                        }
                        model.predict(i % 3, inputs.get(k), 4);
                      }
                      return true;
                    }));
          }
          for (Future<Boolean> r : results) {
            assertThat(r.get(2, TimeUnit.MINUTES)).isTrue();
          }
        } finally {
          pool.shutdownNow();
        }
        assertThat(liveArrays()).isEqualTo(loaded);
      }
      assertThat(liveArrays()).isEqualTo(withLearner);
    }
    assertThat(liveArrays()).isEqualTo(before);
  }
}
