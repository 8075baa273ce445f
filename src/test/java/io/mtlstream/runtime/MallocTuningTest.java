package io.mtlstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MallocTuningTest {

  /** glibc's {@code struct mallinfo2}: every field a size_t. */
  @Structure.FieldOrder({
    "arena",
    "ordblks",
    "smblks",
    "hblks",
    "hblkhd",
    "usmblks",
    "fsmblks",
    "uordblks",
    "fordblks",
    "keepcost"
  })
  public static class MallInfo2 extends Structure implements Structure.ByValue {
    public long arena;
    public long ordblks;
    public long smblks;
    public long hblks;
    public long hblkhd;
    public long usmblks;
    public long fsmblks;
    public long uordblks;
    public long fordblks;
    public long keepcost;
  }

  private static Function glibc(String name) {
    try {
      return Function.getFunction("c", name);
    } catch (UnsatisfiedLinkError e) {
      return null;
    }
  }

  /** Bytes glibc holds in mmapped blocks (summed over all arenas). */
  private static long mappedBytes(Function mallinfo2) {
    return ((MallInfo2) mallinfo2.invoke(MallInfo2.class, new Object[0])).hblkhd;
  }

  /** How many more bytes glibc holds mapped while a block of this size is allocated. */
  private static long mappedGrowthOfBlock(Function mallinfo2, long size) {
    long before = mappedBytes(mallinfo2);
    long block = Native.malloc(size);
    try {
      return mappedBytes(mallinfo2) - before;
    } finally {
      Native.free(block);
    }
  }

  @Test
  void shouldServeBlocksUpToTheThresholdFromTheHeapOnceTuned() {
    Function mallinfo2 = glibc("mallinfo2");
    assumeTrue(mallinfo2 != null, "glibc 2.33+ only");
    assumeTrue(!MallocTuning.userSettings(System.getenv()), "malloc thresholds set by the user");

    assertThat(MallocTuning.apply()).isEqualTo(MallocTuning.Outcome.TUNED);
    assertThat(MallocTuning.apply()).isEqualTo(MallocTuning.Outcome.TUNED);
    assertThat(MallocTuning.childEnvironment())
        .containsEntry("MALLOC_MMAP_THRESHOLD_", String.valueOf(MallocTuning.MMAP_THRESHOLD))
        .containsEntry("MALLOC_TRIM_THRESHOLD_", String.valueOf(MallocTuning.TRIM_THRESHOLD))
        .containsEntry("MALLOC_TOP_PAD_", String.valueOf(MallocTuning.TOP_PAD));

    // 24 MiB sits above anything this JVM freed before (which is all glibc's own adjustment could
    // have raised the threshold to) and below the tuned threshold. A block larger than any free
    // memory the heap can hold (the trim threshold and top pad keep ≈ 64 MiB at its top) must
    // still be mapped, which shows the measurement sees mappings at all.
    assertThat(mappedGrowthOfBlock(mallinfo2, 24L << 20)).isLessThan(1L << 20);
    long huge = 256L << 20;
    assertThat(mappedGrowthOfBlock(mallinfo2, huge)).isGreaterThanOrEqualTo(huge);
  }

  @Test
  void shouldLeaveThresholdsTheUserSetAlone() {
    assertThat(MallocTuning.apply(Map.of("MALLOC_TRIM_THRESHOLD_", "131072")))
        .isEqualTo(MallocTuning.Outcome.USER_SETTINGS);
    assertThat(MallocTuning.apply(Map.of("MALLOC_MMAP_THRESHOLD_", "131072")))
        .isEqualTo(MallocTuning.Outcome.USER_SETTINGS);
    assertThat(MallocTuning.userSettings(Map.of("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=1")))
        .isTrue();
    assertThat(MallocTuning.userSettings(Map.of("MALLOC_TOP_PAD_", "0"))).isTrue();
    assertThat(MallocTuning.userSettings(Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")))
        .isFalse();
    assertThat(MallocTuning.userSettings(Map.of("PATH", "/usr/bin"))).isFalse();
  }
}
