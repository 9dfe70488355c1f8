package dev.salesagent.router.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model ids providers have retired ({@code retired-models.yaml}: the id, its end-of-life date and its replacement),
 * and the warnings a configuration file that still names one of them gets: a user's file outlives our defaults.
 */
public final class RetiredModels {
  /** One retired id. */
  public record Retired(String provider, String model, String endOfLife, String replacement) {
    public String warning(String where) {
      String when = "unpublished".equals(endOfLife) ? "has been retired by " + provider
          : (java.time.LocalDate.now(java.time.ZoneOffset.UTC).isBefore(java.time.LocalDate.parse(endOfLife))
              ? "reaches end of life on " : "reached end of life on ") + endOfLife;
      return "model " + model + " (" + where + ") " + when + "; use " + replacement + " instead";
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, Retired> BY_MODEL = load();

  private RetiredModels() {}

  private static Map<String, Retired> load() {
    try (InputStream in = RetiredModels.class.getResourceAsStream("/dev/salesagent/router/config/retired-models.yaml")) {
      if (in == null) throw new IllegalStateException("resource retired-models.yaml is missing");
      Map<String, Retired> out = new LinkedHashMap<>();
      JsonNode root = YAML.readTree(in);
      root.fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> out.put(m.getKey(),
          new Retired(p.getKey(), m.getKey(), m.getValue().path("end_of_life").asText(),
              m.getValue().path("replacement").asText()))));
      return Map.copyOf(out);
    } catch (IOException e) {
      throw new IllegalStateException("the bundled retired-models.yaml is invalid: " + e.getMessage(), e);
    }
  }

  /** Every retired id we know. */
  public static List<Retired> all() {
    return List.copyOf(BY_MODEL.values());
  }

  /** The retired entry for a model id ({@code claude-sonnet-4-5} or {@code anthropic/claude-sonnet-4-5}), or {@code null}. */
  public static Retired of(String modelOrTarget) {
    if (modelOrTarget == null) return null;
    String m = modelOrTarget.strip();
    int slash = m.indexOf('/');
    if (slash > 0 && !BY_MODEL.containsKey(m)) m = m.substring(slash + 1);
    return BY_MODEL.get(m);
  }

  /**
   * Warnings for the retired ids a configuration file names: as a provider's model, or in a task's chain. An unreadable
   * file gives none (the loader reports it).
   */
  public static List<String> warnings(Path file) {
    if (file == null || !Files.isRegularFile(file)) return List.of();
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    if (root == null) return List.of();
    List<String> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("providers").fields(); it.hasNext(); ) {
      var p = it.next();
      for (Iterator<String> ms = p.getValue().path("models").fieldNames(); ms.hasNext(); ) {
        String m = ms.next();
        Retired r = of(m);
        if (r != null) out.add(r.warning("providers." + p.getKey() + ".models"));
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("tasks").fields(); it.hasNext(); ) {
      var t = it.next();
      for (JsonNode target : t.getValue().path("chain")) {
        Retired r = of(target.asText());
        if (r != null) out.add(r.warning("tasks." + t.getKey() + ".chain"));
      }
    }
    return out;
  }
}
