package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Produces a deterministic JSON instance that is valid for a JSON Schema (the subset LLM structured
 * output uses): type (also type arrays with "null"), properties, required, additionalProperties,
 * enum, const, minimum/maximum (+exclusive), multipleOf (integers), minLength/maxLength, pattern, minItems/maxItems,
 * uniqueItems, items (also tuple/prefixItems), format (email, uri, hostname, date, date-time, uuid), $ref
 * (local "#/..." pointers), anyOf/oneOf (first non-null branch), allOf (merged).
 *
 * <p>It answers like a plausible model that read {@code sourceText} (the last user message), and stays generic:
 * <ul>
 *   <li>emails ({@code format: email} or a property named like {@code email}), web addresses ({@code format: uri} /
 *       {@code hostname}, or named like {@code url}, {@code website}, {@code domain}) and phone numbers (named like
 *       {@code phone}) are values found in the text; a person's name ({@code name}) is a capitalised name found in it;
 *   <li>a string with a {@code pattern} is a substring of the text that matches it, else one generated from the
 *       pattern (simple regular expressions);
 *   <li>a nullable field ({@code [T, "null"]}) whose kind of value is absent from the text is {@code null} (numbers:
 *       when the text has no digits);
 *   <li>prose-like fields (summary, body, reason, …) are whole sentences of the text; quotes, evidence and other strings
 *       are sentences or clauses; short fields (title, company, …) are a labelled value ({@code Title: …}) or a short
 *       segment of a form-like line (a signature block, {@code a | b} lists). All are exact substrings of the text;
 *   <li>arrays without {@code minItems} have 0–3 items.
 * </ul>
 * Everything depends only on the schema, the seed and the text.
 *
 * <p>This class walks the schema (refs, combinators, objects, arrays, types); the values come from
 * {@link NumberValues}, {@link StringValues} (what a field wants is a {@link FieldKind}, what the text offers a
 * {@link SourceText}, formats {@link StringFormats}, patterns {@link RegexSampler}) and {@link PathRandom}.
 */
public final class SchemaInstanceGenerator {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Private marker: a merged anyOf/oneOf had a null branch. */
  private static final String NULLABLE = "\u0000nullable";

  private final JsonNode root;
  private final PathRandom rnd;
  private final SourceText source;
  private final StringValues strings;
  private int depth;

  /** @param plain fallback mode: strings are phrases (formats still honoured), no text heuristics */
  private SchemaInstanceGenerator(JsonNode root, long seed, String sourceText, String promptText, boolean plain) {
    this.root = root;
    this.rnd = new PathRandom(seed);
    this.source = new SourceText(sourceText, promptText);
    this.strings = new StringValues(source, rnd, plain);
  }

  /** A valid instance of {@code schema} for {@code seed}, with strings quoted from {@code sourceText}. */
  public static JsonNode generate(JsonNode schema, long seed, String sourceText) {
    return generate(schema, seed, sourceText, sourceText);
  }

  /** As {@link #generate(JsonNode, long, String)}; {@code promptText} is searched for emails/URLs when the source has none. */
  public static JsonNode generate(JsonNode schema, long seed, String sourceText, String promptText) {
    try {
      return generateStrict(schema, seed, sourceText, promptText);
    } catch (RuntimeException e) {
      // never fail a request over the text heuristics: answer with plain phrases instead
      SchemaInstanceGenerator plain = new SchemaInstanceGenerator(schema, seed, sourceText, promptText, true);
      return plain.gen(schema == null ? F.objectNode() : schema, "$");
    }
  }

  /** As {@link #generate(JsonNode, long, String, String)} without the plain-phrase safety net (tests). */
  static JsonNode generateStrict(JsonNode schema, long seed, String sourceText, String promptText) {
    SchemaInstanceGenerator g = new SchemaInstanceGenerator(schema, seed, sourceText, promptText, false);
    return g.gen(schema == null ? F.objectNode() : schema, "$");
  }

  /** A small JSON object for "JSON mode" without a schema (OpenAI json_object, Ollama format:"json"). */
  public static JsonNode smallObject(long seed, String sourceText) {
    SchemaInstanceGenerator g = new SchemaInstanceGenerator(null, seed, sourceText, sourceText, false);
    ObjectNode o = F.objectNode();
    o.put("answer", g.strings.phrase("$.answer", 0, 80));
    o.put("confidence", new int[] {60, 70, 80, 90}[(int) Math.floorMod(TextGenerator.mix(seed), 4)] / 100.0);
    return o;
  }

  private JsonNode resolve(JsonNode s) {
    int guard = 0;
    while (s != null && s.has("$ref") && guard++ < 32) {
      String ref = s.get("$ref").asText();
      JsonNode target = null;
      if (ref.equals("#")) target = root;
      else if (ref.startsWith("#/")) target = root.at(ref.substring(1).replace("~1", "/").replace("~0", "~"));
      if (target == null || target.isMissingNode()) return F.objectNode();
      s = target;
    }
    return s;
  }

  private JsonNode gen(JsonNode schema, String path) {
    if (++depth > 40) {
      depth--;
      return F.nullNode();
    }
    try {
      return gen0(schema, path);
    } finally {
      depth--;
    }
  }

  private JsonNode gen0(JsonNode schema, String path) {
    if (schema == null || schema.isBoolean() || !schema.isObject()) return F.textNode(strings.phrase(path, 1, 40));
    JsonNode s = resolve(schema);
    if (s.has("allOf") && s.get("allOf").isArray()) s = mergeAllOf(s);
    if (s.has("const")) return s.get("const").deepCopy();
    if (s.has("enum") && s.get("enum").isArray() && s.get("enum").size() > 0) {
      JsonNode e = s.get("enum");
      List<JsonNode> candidates = new ArrayList<>();
      for (JsonNode v : e) if (!v.isNull()) candidates.add(v);
      if (candidates.isEmpty()) return F.nullNode();
      return candidates.get(rnd.at(path).nextInt(candidates.size())).deepCopy();
    }
    for (String k : new String[] {"anyOf", "oneOf"}) {
      JsonNode alts = s.get(k);
      if (alts != null && alts.isArray() && alts.size() > 0) {
        JsonNode pick = null;
        for (JsonNode a : alts) {
          JsonNode ra = resolve(a);
          if (!"null".equals(ra.path("type").asText())) {
            pick = a;
            break;
          }
        }
        if (pick == null) pick = alts.get(0);
        ObjectNode merged = s.deepCopy();
        merged.remove(k);
        for (JsonNode a : alts) if ("null".equals(resolve(a).path("type").asText())) merged.put(NULLABLE, true);
        JsonNode rp = resolve(pick);
        if (rp.isObject()) rp.fields().forEachRemaining(en -> merged.set(en.getKey(), en.getValue()));
        return gen(merged, path);
      }
    }
    String type = pickType(s);
    switch (type) {
      case "object":
        return object(s, path);
      case "array":
        return array(s, path);
      case "integer":
        if (nullable(s) && !source.hasDigits) return F.nullNode();
        return F.numberNode(NumberValues.integer(s, rnd.at(path)));
      case "number":
        if (nullable(s) && !source.hasDigits) return F.nullNode();
        return NumberValues.number(s, rnd.at(path));
      case "boolean":
        return F.booleanNode(rnd.at(path).nextBoolean());
      case "null":
        return F.nullNode();
      default: {
        String v = strings.string(s, path, nullable(s));
        return v == null ? F.nullNode() : F.textNode(v);
      }
    }
  }

  private JsonNode mergeAllOf(JsonNode s) {
    ObjectNode merged = s.deepCopy();
    merged.remove("allOf");
    ObjectNode props = merged.has("properties") && merged.get("properties").isObject()
        ? (ObjectNode) merged.get("properties") : F.objectNode();
    Set<String> required = new LinkedHashSet<>();
    merged.path("required").forEach(r -> required.add(r.asText()));
    for (JsonNode part : s.get("allOf")) {
      JsonNode p = resolve(part);
      if (p.has("allOf")) p = mergeAllOf(p);
      Iterator<Map.Entry<String, JsonNode>> it = p.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> en = it.next();
        switch (en.getKey()) {
          case "properties" -> en.getValue().fields().forEachRemaining(pe -> props.set(pe.getKey(), pe.getValue()));
          case "required" -> en.getValue().forEach(r -> required.add(r.asText()));
          default -> {
            if (!merged.has(en.getKey())) merged.set(en.getKey(), en.getValue());
          }
        }
      }
    }
    if (props.size() > 0) merged.set("properties", props);
    if (!required.isEmpty()) {
      ArrayNode r = merged.putArray("required");
      required.forEach(r::add);
    }
    return merged;
  }

  private static String pickType(JsonNode s) {
    JsonNode t = s.get("type");
    if (t != null && t.isTextual()) return t.asText();
    if (t != null && t.isArray()) {
      String first = null;
      for (JsonNode x : t) {
        String v = x.asText();
        if (first == null) first = v;
        if (!v.equals("null")) return v;
      }
      if (first != null) return first;
    }
    if (s.has("properties") || s.has("additionalProperties") || s.has("required")) return "object";
    if (s.has("items") || s.has("prefixItems") || s.has("minItems") || s.has("maxItems")) return "array";
    if (s.has("minimum") || s.has("maximum") || s.has("exclusiveMinimum") || s.has("exclusiveMaximum")) return "number";
    return "string";
  }

  private JsonNode object(JsonNode s, String path) {
    ObjectNode o = F.objectNode();
    JsonNode props = s.get("properties");
    Set<String> required = new LinkedHashSet<>();
    s.path("required").forEach(r -> required.add(r.asText()));
    int maxProps = s.has("maxProperties") ? s.get("maxProperties").asInt() : Integer.MAX_VALUE;
    Map<String, JsonNode> defs = new LinkedHashMap<>();
    if (props != null && props.isObject()) props.fields().forEachRemaining(e -> defs.put(e.getKey(), e.getValue()));
    // required first (so maxProperties never drops one), then the optional ones in declared order
    for (String r : required) {
      JsonNode ps = defs.get(r);
      o.set(r, ps != null ? gen(ps, path + "." + r) : (additionalSchema(s) != null ? gen(additionalSchema(s), path + "." + r) : F.textNode(strings.phrase(path + "." + r, 1, 40))));
    }
    for (Map.Entry<String, JsonNode> e : defs.entrySet()) {
      if (o.size() >= maxProps) break;
      if (!o.has(e.getKey())) o.set(e.getKey(), gen(e.getValue(), path + "." + e.getKey()));
    }
    int minProps = s.has("minProperties") ? s.get("minProperties").asInt() : 0;
    JsonNode extra = s.get("additionalProperties");
    boolean extraAllowed = extra == null || !(extra.isBoolean() && !extra.asBoolean());
    int k = 1;
    while (o.size() < minProps && extraAllowed) {
      String name = "field" + k++;
      if (o.has(name)) continue;
      o.set(name, extra != null && extra.isObject() ? gen(extra, path + "." + name) : F.textNode(strings.phrase(path + "." + name, 1, 40)));
    }
    return o;
  }

  private static JsonNode additionalSchema(JsonNode s) {
    JsonNode a = s.get("additionalProperties");
    return a != null && a.isObject() ? a : null;
  }

  private JsonNode array(JsonNode s, String path) {
    ArrayNode a = F.arrayNode();
    int min = s.has("minItems") ? Math.max(0, s.get("minItems").asInt()) : 0;
    int max = s.has("maxItems") ? s.get("maxItems").asInt() : Integer.MAX_VALUE;
    JsonNode tuple = s.has("prefixItems") ? s.get("prefixItems") : (s.path("items").isArray() ? s.get("items") : null);
    JsonNode items = s.path("items").isObject() ? s.get("items") : null;
    if (tuple != null && s.has("prefixItems") && s.path("items").isBoolean()) items = null;
    int want = rnd.at(path + "#n").nextInt(4); // 0..3
    int n = Math.max(min, Math.min(want, max));
    if (tuple != null) n = Math.max(n, Math.min(tuple.size(), max));
    boolean unique = s.path("uniqueItems").asBoolean(false);
    Set<JsonNode> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      JsonNode is = tuple != null && i < tuple.size() ? tuple.get(i) : items;
      JsonNode v = null;
      for (int attempt = 0; attempt < 20; attempt++) {
        v = is == null ? F.textNode(strings.phrase(path + "[" + i + "]" + attempt, 1, 40)) : gen(is, path + "[" + i + "]" + (attempt == 0 ? "" : "~" + attempt));
        if (!unique || seen.add(v)) break;
        if (attempt == 19) v = null;
      }
      if (v == null) {
        // could not find another distinct value (e.g. a small enum): stop if the minimum allows it
        if (a.size() >= min) break;
        v = is == null ? F.textNode("item " + i) : gen(is, path + "[" + i + "]");
      }
      a.add(v);
    }
    return a;
  }

  private static boolean nullable(JsonNode s) {
    JsonNode t = s.get("type");
    if (t != null && t.isArray()) for (JsonNode x : t) if ("null".equals(x.asText())) return true;
    return s.path(NULLABLE).asBoolean(false);
  }
}
