package io.mtlstream.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.mtlstream.train.MultiTaskLearner;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ServedModelTest {

  /** Counts every array alive in the engine, across all managers. */
  private static int liveArrays() {
    try (NDManager probe = NDManager.newBaseManager()) {
      return probe.getParentManager().getManagedArrays().size();
    }
  }

  @Test
  void shouldKeepARetiredModelOpenUntilItsLastLeaseCloses() {
    try (MultiTaskLearner learner = ServeFixtures.learner(ServeFixtures.MIXED)) {
      float[] x = ServeFixtures.features(new SplittableRandom(1), 8);
      int before = liveArrays();
      ServedModel served = ServeFixtures.served("default", learner);
      assertThat(served.step()).isZero();
      assertThat(served.sha256()).hasSize(64);
      assertThat(liveArrays()).isGreaterThan(before);

      ServedModel.Lease lease = served.tryLease().orElseThrow();
      served.retire();
      assertThat(served.isRetired()).isTrue();
      assertThat(lease.model().predict(1, x, 1)).containsExactly(learner.predict(1, x, 1));
      assertThat(served.predict(0, x, 1)).containsExactly(learner.predict(0, x, 1));

      lease.close();
      lease.close();
      assertThat(served.tryLease()).isEmpty();
      assertThatThrownBy(() -> served.predictAll(x, 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("replaced and closed");
      assertThat(liveArrays()).isEqualTo(before);
    }
  }

  @Test
  void shouldHandOutTheCurrentModelThroughAModelSource() {
    try (MultiTaskLearner learner = ServeFixtures.learner(ServeFixtures.MIXED)) {
      StaticModels models = new StaticModels("default");
      assertThat(models.acquire("default")).isEmpty();
      ServedModel first = ServeFixtures.served("default", learner);
      models.set(first);
      try (ServedModel.Lease lease = models.acquire("default").orElseThrow()) {
        ServeFixtures.train(learner, 2, new SplittableRandom(2));
        models.set(ServeFixtures.served("default", learner));
        assertThat(lease.served()).isSameAs(first);
        assertThat(lease.model().predictAll(new float[8], 1)).hasNumberOfRows(3);
      }
      assertThat(first.tryLease()).isEmpty();
      try (ServedModel.Lease lease = models.acquire("default").orElseThrow()) {
        assertThat(lease.served().step()).isEqualTo(2);
      }
      models.set(null);
    }
  }
}
