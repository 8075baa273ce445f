package io.mtlstream.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.mtlstream.app.ServeCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The {@code serve} command's start-up failures; its serving path is the server's and tested so.
 */
class ServeCommandTest {

  private static final String THREADS = "ai.djl.pytorch.num_threads";

  private final StringWriter err = new StringWriter();
  private final String threads = System.getProperty(THREADS);

  /** The command sets the engine's thread count; keep this test JVM's setting for the others. */
  @AfterEach
  void restoreThreads() {
    if (threads == null) {
      System.clearProperty(THREADS);
    } else {
      System.setProperty(THREADS, threads);
    }
  }

  private int run(String... args) {
    CommandLine cli = new CommandLine(new ServeCommand());
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    return cli.execute(args);
  }

  @Test
  void shouldExplainAMissingBootstrapServer() {
    assertThat(run("--set", "bootstrap.servers=")).isEqualTo(1);
    assertThat(err.toString()).contains("no bootstrap.servers");
  }

  @Test
  void shouldExplainAPortInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int code =
          run(
              "--set",
              "bootstrap.servers=127.0.0.1:1",
              "--set",
              "application.id=ignored-by-serve",
              "--port",
              Integer.toString(taken.getLocalPort()));
      assertThat(code).isEqualTo(1);
      assertThat(err.toString()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void shouldDescribeItsOptions() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new ServeCommand());
    cli.setOut(new PrintWriter(out, true));
    assertThat(cli.execute("--help")).isZero();
    assertThat(out.toString())
        .contains("--port", "--host", "--model", "--config", "--set", "--intra-op-threads");
  }
}
