package io.mtlstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile read into stages of instructions: enough to check what a deployment depends on (base
 * images, users, environment, entry point, copied files), not a full parser. Comments and parser
 * directives are dropped, continuation lines joined. Immutable.
 */
record Dockerfile(List<Dockerfile.Stage> stages) {

  /** One instruction: upper-case keyword and the rest of the (joined) line. */
  record Instruction(String keyword, String arguments) {}

  /** A {@code FROM image [AS name]} and the instructions up to the next FROM. */
  record Stage(String image, String name, List<Instruction> instructions) {

    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    Optional<Instruction> last(String keyword) {
      List<Instruction> found = all(keyword);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    /** {@code ENV} values, both {@code K=V K2=V2} and the legacy {@code K V} form. */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      for (Instruction i : all("ENV")) {
        String args = i.arguments().trim();
        if (!args.contains("=") || args.indexOf(' ') < args.indexOf('=')) {
          String[] kv = args.split("\\s+", 2);
          env.put(kv[0], kv.length > 1 ? kv[1] : "");
          continue;
        }
        for (String pair : args.split("\\s+")) {
          int eq = pair.indexOf('=');
          env.put(pair.substring(0, eq), unquote(pair.substring(eq + 1)));
        }
      }
      return env;
    }
  }

  static Dockerfile parse(String text) {
    List<Stage> stages = new ArrayList<>();
    List<Instruction> current = null;
    for (String line : joinContinuations(text)) {
      String[] parts = line.split("\\s+", 2);
      String keyword = parts[0].toUpperCase(Locale.ROOT);
      String args = parts.length > 1 ? parts[1].trim() : "";
      if (keyword.equals("FROM")) {
        String[] from =
            Arrays.stream(args.split("\\s+"))
                .filter(a -> !a.startsWith("--"))
                .toArray(String[]::new);
        String name = from.length >= 3 && from[1].equalsIgnoreCase("AS") ? from[2] : null;
        current = new ArrayList<>();
        stages.add(new Stage(from[0], name, current));
      } else if (current != null) {
        current.add(new Instruction(keyword, args));
      }
    }
    return new Dockerfile(List.copyOf(stages));
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }

  /** The exec (JSON array) form of an ENTRYPOINT/CMD/RUN argument; empty for the shell form. */
  static List<String> execForm(String arguments) {
    if (!arguments.startsWith("[")) {
      return List.of();
    }
    try {
      JsonNode array = new ObjectMapper().readTree(arguments);
      List<String> out = new ArrayList<>();
      array.forEach(e -> out.add(e.asText()));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON array: " + arguments, e);
    }
  }

  /** Sources of a COPY/ADD (everything but flags and the destination). */
  static List<String> copySources(String arguments) {
    List<String> words =
        Arrays.stream(arguments.split("\\s+")).filter(w -> !w.startsWith("--")).toList();
    return words.subList(0, Math.max(0, words.size() - 1));
  }

  /** The value of {@code --name=value} in a COPY/ADD/RUN, if given. */
  static Optional<String> flag(String arguments, String name) {
    for (String w : arguments.split("\\s+")) {
      if (w.startsWith("--" + name + "=")) {
        return Optional.of(w.substring(name.length() + 3));
      }
    }
    return Optional.empty();
  }

  private static List<String> joinContinuations(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String raw : text.split("\\R")) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && pending.length() == 0)) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      pending.append(line);
      if (pending.toString().isBlank()) {
        pending.setLength(0);
        continue;
      }
      lines.add(pending.toString().strip());
      pending.setLength(0);
    }
    return lines;
  }

  private static String unquote(String value) {
    boolean quoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"");
    return quoted ? value.substring(1, value.length() - 1) : value;
  }
}
