package io.mtlstream.crash;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Timed pauses of the crash tests. They choose <em>when</em> a fault is injected (a kill, a broker
 * outage) or space out the polls of a deadline loop; nothing here waits for a condition, which is
 * always done by polling with a deadline.
 */
final class Pauses {

  private Pauses() {}

  static void pause(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
