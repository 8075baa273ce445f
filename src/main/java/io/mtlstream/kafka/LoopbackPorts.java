package io.mtlstream.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free ports on the loopback address the embedded broker listens on. Stateless. */
final class LoopbackPorts {

  private LoopbackPorts() {}

  /**
   * A port that was free a moment ago. Another process may take it before the broker binds it, so
   * callers retry on {@link #isBindFailure}; the controller port must be known before start-up
   * (static quorum voters), hence no bind to port 0.
   */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(BrokerSettings.HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on " + BrokerSettings.HOST, e);
    }
  }

  /** Whether a start-up failure was a taken port (Kafka wraps the {@link BindException}). */
  static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException || String.valueOf(t.getMessage()).contains("failed to bind")) {
        return true;
      }
    }
    return false;
  }

  /** Whether the failure names {@code 127.0.0.1:port}. */
  static boolean mentions(Throwable e, int port) {
    String address = BrokerSettings.HOST + ":" + port;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains(address)) {
        return true;
      }
    }
    return false;
  }
}
