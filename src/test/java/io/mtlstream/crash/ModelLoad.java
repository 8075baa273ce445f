package io.mtlstream.crash;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One "model loaded" line of a learner's log ({@code LearnerProcessor}): the model, whether a
 * checkpoint was restored, its step, and how many journaled inputs were replayed on top of it.
 *
 * @param time the log line's time of day (HH:mm:ss.SSS)
 * @param weights the task weights right after the load (checkpoint plus replayed journal)
 */
record ModelLoad(
    String time, String model, boolean restored, long step, long replayed, List<Double> weights) {

  private static final Pattern LINE =
      Pattern.compile(
          "^(\\S+) .*model '([^']+)': (new learner|restored checkpoint) at step (\\d+),"
              + " replayed (\\d+) journaled inputs(?:, task weights \\[([^\\]]*)\\])?");

  static List<ModelLoad> in(List<String> logLines) {
    return logLines.stream()
        .map(LINE::matcher)
        .filter(Matcher::find)
        .map(
            m ->
                new ModelLoad(
                    m.group(1),
                    m.group(2),
                    m.group(3).startsWith("restored"),
                    Long.parseLong(m.group(4)),
                    Long.parseLong(m.group(5)),
                    weights(m.group(6))))
        .toList();
  }

  /** The logged task weights, in task order (empty if the line has none). */
  private static List<Double> weights(String logged) {
    return logged == null || logged.isBlank()
        ? List.of()
        : java.util.Arrays.stream(logged.split(",")).map(w -> Double.valueOf(w.trim())).toList();
  }
}
