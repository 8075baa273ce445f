package io.mtlstream.crash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The successive learner processes of one test, so that a failing test kills every one of them.
 * Owns the processes it started; not thread-safe.
 */
final class LearnerGroup implements AutoCloseable {

  private final Path logs;
  private final List<LearnerProcess> started = new ArrayList<>();

  LearnerGroup(Path logs) {
    this.logs = logs;
  }

  LearnerProcess start(String name, Map<String, String> settings) {
    LearnerProcess p = LearnerProcess.start(logs, name, settings);
    started.add(p);
    return p;
  }

  /** Every process started, in order. */
  List<LearnerProcess> all() {
    return List.copyOf(started);
  }

  /** The model loads logged by all processes, in start order. */
  List<ModelLoad> modelLoads() {
    List<ModelLoad> loads = new ArrayList<>();
    started.forEach(p -> loads.addAll(ModelLoad.in(p.logLines())));
    return loads;
  }

  @Override
  public void close() {
    started.forEach(LearnerProcess::close);
  }
}
