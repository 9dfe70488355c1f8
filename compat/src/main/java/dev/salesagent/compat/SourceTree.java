package dev.salesagent.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reading another gateway's file: YAML or JSON (JSON is YAML), and small typed getters that never throw on odd input. */
public final class SourceTree {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private SourceTree() {}

  public static JsonNode parse(String text, String source) {
    try {
      JsonNode n = YAML.readTree(text);
      if (n == null || n.isMissingNode() || n.isNull()) throw new ImportException(source + " is empty");
      if (!n.isObject()) throw new ImportException(source + " must be a mapping of keys (a YAML or JSON object)");
      return n;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ImportException(source + " is not valid YAML or JSON" + where + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The keys of {@code n} not in {@code known}, in file order. */
  public static List<String> unknownKeys(JsonNode n, Set<String> known) {
    List<String> out = new ArrayList<>();
    if (n == null || !n.isObject()) return out;
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) out.add(k);
    }
    return out;
  }

  public static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() || n.isContainerNode() ? null : n.asText();
  }

  public static Double number(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return null;
    if (n.isNumber()) return n.doubleValue();
    if (n.isTextual()) {
      try {
        return Double.parseDouble(n.textValue().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** Seconds (LiteLLM's unit) as milliseconds, {@code null} when absent or not a positive number. */
  public static Long secondsAsMs(JsonNode n) {
    Double d = number(n);
    return d == null || d <= 0 ? null : Math.max(1L, Math.round(d * 1000));
  }

  /** Milliseconds (Portkey's unit), {@code null} when absent or not a positive number; capped at a day. */
  public static Long millis(JsonNode n) {
    Double d = number(n);
    return d == null || d <= 0 ? null : Math.min(86_400_000L, Math.max(1L, Math.round(d)));
  }

  public static int positiveInt(JsonNode n) {
    Double d = number(n);
    return d == null || d <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.round(d));
  }
}
