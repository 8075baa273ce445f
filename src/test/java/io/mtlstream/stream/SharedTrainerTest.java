package io.mtlstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SharedTrainerTest {

  @Test
  void shouldRunEveryHoldersWorkOnOneThreadThatEndsWithTheLastHolder() throws Exception {
    int before = SharedTrainer.holders();
    TrainerThread first = SharedTrainer.acquire();
    TrainerThread second = SharedTrainer.acquire();
    assertThat(second).isSameAs(first);
    assertThat(SharedTrainer.holders()).isEqualTo(before + 2);

    Thread a = TrainerThread.await(first.submit(Thread::currentThread));
    Thread b = TrainerThread.await(second.submit(Thread::currentThread));
    assertThat(b).isSameAs(a);
    assertThat(a.getName()).isEqualTo(SharedTrainer.THREAD_NAME);
    assertThat(a.getName()).startsWith(LearnerTopology.TRAINER_THREAD_PREFIX);

    SharedTrainer.release(first);
    // The other holder still trains there.
    assertThat(TrainerThread.await(second.submit(Thread::currentThread))).isSameAs(a);
    SharedTrainer.release(second);
    assertThat(SharedTrainer.holders()).isEqualTo(before);
    if (before == 0) {
      a.join(30_000);
      assertThat(a.isAlive()).as("the trainer thread ends with its last holder").isFalse();
      TrainerThread later = SharedTrainer.acquire();
      try {
        assertThat(later).isNotSameAs(first);
        assertThat(TrainerThread.await(later.submit(Thread::currentThread))).isNotSameAs(a);
      } finally {
        SharedTrainer.release(later);
      }
    }
  }

  @Test
  void shouldRefuseToReleaseATrainerItDidNotHandOut() {
    try (TrainerThread other = new TrainerThread("mtl-trainer-test")) {
      int before = SharedTrainer.holders();
      assertThatThrownBy(() -> SharedTrainer.release(other))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not the shared one");
      assertThat(SharedTrainer.holders()).isEqualTo(before);
    }
  }
}
