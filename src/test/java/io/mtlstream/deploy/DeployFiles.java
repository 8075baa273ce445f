package io.mtlstream.deploy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the deployment files of the project: strict YAML (duplicate keys are errors, several
 * documents per file allowed) and JSON via Jackson, properties, file listings. Paths are relative
 * to the project root, the working directory of the tests. Stateless.
 */
final class DeployFiles {

  static final Path ROOT = Path.of("").toAbsolutePath();

  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(:?-([^}]*))?}");

  private DeployFiles() {}

  static Path path(String relative) {
    return ROOT.resolve(relative).normalize();
  }

  /** Every non-empty document of a YAML file; fails on malformed YAML or duplicate keys. */
  static List<JsonNode> yamlDocuments(Path file) {
    try (var parser = YAML.createParser(file.toFile())) {
      List<JsonNode> docs = new ArrayList<>();
      YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> addIfPresent(docs, d));
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException("not valid YAML: " + file, e);
    }
  }

  /** The single document of a YAML file. */
  static JsonNode yaml(Path file) {
    List<JsonNode> docs = yamlDocuments(file);
    if (docs.size() != 1) {
      throw new IllegalStateException(file + " has " + docs.size() + " YAML documents, not 1");
    }
    return docs.get(0);
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("not valid JSON: " + file, e);
    }
  }

  static Properties properties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** Regular files under {@code dir} (recursively) whose names end with one of {@code suffixes}. */
  static List<Path> files(Path dir, String... suffixes) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(f -> endsWithAny(f.getFileName().toString(), suffixes))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Compose-style interpolation with every variable unset: {@code ${X:-d}} → d, {@code ${X}} → "".
   */
  static String withDefaults(String text) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(3) == null ? "" : m.group(3)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static boolean endsWithAny(String name, String... suffixes) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String s : suffixes) {
      if (lower.endsWith(s)) {
        return true;
      }
    }
    return false;
  }

  private static void addIfPresent(List<JsonNode> docs, JsonNode doc) {
    if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
      docs.add(doc);
    }
  }
}
