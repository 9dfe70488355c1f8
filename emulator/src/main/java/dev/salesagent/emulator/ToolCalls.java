package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Which offered tools an answer calls, and the arguments of each call (the contract in README "Tools"). */
final class ToolCalls {
  private ToolCalls() {}

  /** Every offered tool whose name occurs in {@code text}, in order of first occurrence (ties: offering order). */
  static List<IncomingChat.Tool> named(List<IncomingChat.Tool> tools, String text) {
    record Hit(int at, int order, IncomingChat.Tool tool) {}
    List<Hit> hits = new ArrayList<>();
    for (int i = 0; i < tools.size(); i++) {
      IncomingChat.Tool t = tools.get(i);
      int at = t.name().isEmpty() ? -1 : text.indexOf(t.name());
      if (at >= 0) hits.add(new Hit(at, i, t));
    }
    hits.sort(Comparator.comparingInt(Hit::at).thenComparingInt(Hit::order));
    List<IncomingChat.Tool> out = new ArrayList<>(hits.size());
    for (Hit h : hits) out.add(h.tool());
    return out;
  }

  /** The seed of call {@code k}: the conversation's hash for the first (as a forced tool always had), then per name. */
  static long seed(long conversationHash, int k, String name) {
    return k == 0 ? conversationHash : TextGenerator.hash(conversationHash, name);
  }

  /**
   * Arguments valid for the tool's schema: a generated instance, where every top-level string property {@code p} takes
   * {@code v} when {@code userText} contains {@code p=v} ({@code v} runs to the next whitespace, comma or end) and
   * {@code v} satisfies the property's enum / length / pattern.
   */
  static String arguments(IncomingChat.Tool tool, long seed, String userText, String promptText) {
    JsonNode schema = tool.schema();
    JsonNode inst = SchemaInstanceGenerator.generate(schema, seed, userText, promptText);
    if (inst instanceof ObjectNode o && schema != null && schema.path("properties").isObject()) {
      o = o.deepCopy();
      for (Map.Entry<String, JsonNode> p : (Iterable<Map.Entry<String, JsonNode>>) () -> schema.get("properties").fields()) {
        if (!isString(p.getValue())) continue;
        String v = assigned(userText, p.getKey());
        if (v != null && fits(p.getValue(), v)) o.put(p.getKey(), v);
      }
      inst = o;
    }
    return Wire.compact(inst);
  }

  private static boolean isString(JsonNode s) {
    JsonNode t = s.path("type");
    if (t.isTextual()) return t.asText().equals("string");
    if (t.isArray()) for (JsonNode x : t) if (x.asText().equals("string")) return true;
    return false;
  }

  /** The value of {@code name=value} in {@code text} ({@code name} not preceded by a letter, digit or underscore), or null. */
  static String assigned(String text, String name) {
    if (name.isEmpty()) return null;
    String key = name + "=";
    for (int at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
      if (at > 0) {
        char c = text.charAt(at - 1);
        if (Character.isLetterOrDigit(c) || c == '_') continue;
      }
      int from = at + key.length();
      int end = from;
      while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != ',') end++;
      return text.substring(from, end);
    }
    return null;
  }

  private static boolean fits(JsonNode s, String v) {
    if (s.has("enum")) {
      boolean found = false;
      for (JsonNode e : s.get("enum")) found |= e.isTextual() && e.asText().equals(v);
      if (!found) return false;
    }
    if (s.has("const") && !s.get("const").asText().equals(v)) return false;
    int len = v.codePointCount(0, v.length());
    if (s.path("minLength").canConvertToInt() && len < s.get("minLength").asInt()) return false;
    if (s.path("maxLength").canConvertToInt() && len > s.get("maxLength").asInt()) return false;
    if (s.path("pattern").isTextual()) {
      try {
        if (!Pattern.compile(s.get("pattern").asText()).matcher(v).find()) return false;
      } catch (RuntimeException e) {
        return false;
      }
    }
    return true;
  }
}
