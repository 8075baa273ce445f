package io.mtlstream.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PromQL of Grafana dashboard files: every {@code targets[].expr} of every panel (rows' nested
 * panels included) and every {@code label_values(...)} template variable, with Grafana's variables
 * substituted by the caller's values. Stateless.
 */
final class DashboardQueries {

  /** One query of one panel. */
  record Query(String dashboard, String panel, String expr) {
    @Override
    public String toString() {
      return dashboard + " / " + panel + ": " + expr;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.+),\\s*(\\w+)\\s*\\)\\s*$");
  private static final Pattern LEFT_OVER = Pattern.compile("\\$\\{?\\w+|\\[\\[\\w+");

  private DashboardQueries() {}

  /** The dashboard files under {@code dir}, sorted. */
  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** Every panel query of {@code dashboard}, in panel order. */
  static List<Query> panelQueries(Path dashboard) throws IOException {
    JsonNode root = JSON.readTree(dashboard.toFile());
    List<Query> out = new ArrayList<>();
    collect(dashboard.getFileName().toString(), root.path("panels"), out);
    return out;
  }

  /**
   * The template variables' {@code label_values(series, label)} queries, as PromQL that returns the
   * series (the variable has values exactly when it is not empty).
   */
  static List<Query> variableQueries(Path dashboard) throws IOException {
    JsonNode root = JSON.readTree(dashboard.toFile());
    List<Query> out = new ArrayList<>();
    for (JsonNode v : root.path("templating").path("list")) {
      JsonNode q = v.path("query");
      String text = q.isObject() ? q.path("query").asText() : q.asText();
      Matcher m = LABEL_VALUES.matcher(text);
      if ("query".equals(v.path("type").asText()) && m.matches()) {
        out.add(
            new Query(
                dashboard.getFileName().toString(),
                "$" + v.path("name").asText(),
                "count by (" + m.group(2) + ") (" + m.group(1) + ")"));
      }
    }
    return out;
  }

  /**
   * {@code expr} with Grafana's variables replaced ({@code $name}, {@code ${name}}, {@code
   * ${name:fmt}}, {@code [[name]]}); throws if a variable is left.
   */
  static String substitute(String expr, Map<String, String> values) {
    String out = expr;
    List<String> names = new ArrayList<>(values.keySet());
    names.sort(Comparator.comparingInt(String::length).reversed()); // $__interval after $__i...
    for (String name : names) {
      String v = values.get(name);
      out =
          out.replaceAll("\\$\\{" + Pattern.quote(name) + "(:\\w+)?}", Matcher.quoteReplacement(v));
      out = out.replace("[[" + name + "]]", v).replace("$" + name, v);
    }
    if (LEFT_OVER.matcher(out).find()) {
      throw new IllegalArgumentException("unknown variable left in: " + out);
    }
    return out;
  }

  private static void collect(String dashboard, JsonNode panels, List<Query> out) {
    for (JsonNode panel : panels) {
      String title = panel.path("title").asText();
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText("");
        if (!expr.isBlank()) {
          out.add(new Query(dashboard, title, expr));
        }
      }
      collect(dashboard, panel.path("panels"), out); // a collapsed row holds its panels
    }
  }
}
