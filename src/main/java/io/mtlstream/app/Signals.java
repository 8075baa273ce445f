package io.mtlstream.app;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGTERM/SIGINT handling for long-running commands. Stateless. */
final class Signals {

  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /**
   * Runs {@code action} on the named signals instead of the JVM's default exit with 128+signal, so
   * a command can stop cleanly and exit 0; returns an action that restores the previous handlers (a
   * command may run inside a longer-lived JVM, e.g. tests). Uses {@code sun.misc.Signal} (module
   * jdk.unsupported, kept for exactly this by JEP 260) reflectively, as Kafka's {@code
   * LoggingSignalHandler} does, to stay free of internal-API compile warnings; without it the
   * default behaviour stays.
   */
  static Runnable onSignals(Runnable action, String... names) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Constructor<?> newSignal = signal.getConstructor(String.class);
      Method handle = signal.getMethod("handle", signal, handlerType);
      Object handler =
          Proxy.newProxyInstance(
              handlerType.getClassLoader(),
              new Class<?>[] {handlerType},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "handle" -> {
                      action.run();
                      yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "mtl-signal-handler";
                  });
      List<Object[]> previous = new ArrayList<>();
      for (String name : names) {
        Object s = newSignal.newInstance(name);
        try {
          previous.add(new Object[] {s, handle.invoke(null, s, handler)});
        } catch (InvocationTargetException e) { // e.g. the JVM reserves it (-Xrs)
          LOG.warn("Cannot handle SIG{}; it ends the JVM the default way", name, e.getCause());
        }
      }
      return () -> {
        for (Object[] p : previous) {
          try {
            handle.invoke(null, p[0], p[1]);
          } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Cannot restore the handler of {}", p[0], e);
          }
        }
      };
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.warn("Cannot handle signals {}; they end the JVM the default way", names, e);
      return () -> {};
    }
  }
}
