package io.mtlstream.snapshot;

import static io.mtlstream.snapshot.SnapshotFixtures.SMALL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mtlstream.app.SnapshotCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SnapshotCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final byte[] encoded =
      SnapshotCodec.encode(
          SnapshotFixtures.manifest(SMALL),
          SnapshotFixtures.parameters(SnapshotFixtures.parameterCount(SMALL), 5));

  @Test
  void shouldPrintTheVerifiedManifestAsJson() throws Exception {
    Path file = Files.write(dir.resolve("default.snap"), encoded);

    int exit = execute("inspect", "--file", file.toString());

    assertThat(exit).as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("verified").asBoolean()).isTrue();
    assertThat(json.get("sha256").asText()).isEqualTo(SnapshotCodec.decode(encoded).sha256Hex());
    assertThat(json.get("modelId").asText()).isEqualTo("default");
    assertThat(json.get("step").asLong()).isEqualTo(1234);
    assertThat(json.get("balancer").asText()).isEqualTo("gradnorm");
    assertThat(json.get("tasks").toString()).isEqualTo("[\"ctr.value\",\"click\",\"category\"]");
    assertThat(json.at("/model/tasks/2/type").asText()).isEqualTo("multiclass");
    assertThat(json.at("/taskWeights/click").asDouble()).isEqualTo(0.75);
    assertThat(json.at("/inputOffsets/mtl.events.click-1").asLong()).isEqualTo(89);
    assertThat(json.get("parameterCount").asInt())
        .isEqualTo(SnapshotFixtures.parameterCount(SMALL));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void shouldExitWithTwoAndExplainWhenTheSnapshotIsCorrupt() throws Exception {
    byte[] corrupt = encoded.clone();
    corrupt[corrupt.length / 2] ^= 0x10;
    Path file = Files.write(dir.resolve("corrupt.snap"), corrupt);

    int exit = execute("inspect", "--file", file.toString());

    assertThat(exit).isEqualTo(SnapshotCommand.EXIT_BAD_SNAPSHOT).isEqualTo(2);
    assertThat(err.toString()).startsWith("bad snapshot (checksum_mismatch): ");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void shouldExitWithOneWhenTheFileIsMissing() {
    int exit = execute("inspect", "--file", dir.resolve("absent.snap").toString());

    assertThat(exit).isEqualTo(SnapshotCommand.EXIT_NOT_READ);
    assertThat(err.toString()).contains("cannot read the snapshot").contains("absent.snap");
  }

  @Test
  void shouldRequireExactlyOneSource() {
    int exit = execute("inspect", "--file", "a", "--bootstrap-servers", "localhost:9092");

    assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("mutually exclusive");
  }

  private int execute(String... args) {
    CommandLine cli = new CommandLine(new SnapshotCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }
}
