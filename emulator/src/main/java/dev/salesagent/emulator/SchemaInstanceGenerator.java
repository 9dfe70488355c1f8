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
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Produces a deterministic JSON instance that is valid for a JSON Schema (the subset LLM structured
 * output uses): type (also type arrays with "null"), properties, required, additionalProperties,
 * enum, const, minimum/maximum (+exclusive), multipleOf (integers), minLength/maxLength, minItems/maxItems,
 * uniqueItems, items (also tuple/prefixItems), format (email, uri, date, date-time, uuid), $ref
 * (local "#/..." pointers), anyOf/oneOf (first branch), allOf (merged).
 *
 * <p>String values are phrases cut from {@code sourceText} (the last user message) on whole-word
 * boundaries, so they are exact substrings of the input whenever the length limits allow; an email
 * format takes the first email address found in the prompt text.
 */
public final class SchemaInstanceGenerator {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~%/-]*)?");
  private static final String[] FILLER = {
    "qualified", "lead", "strong", "fit", "growth", "team", "priority", "follow", "up", "budget", "timeline", "value"
  };

  private final JsonNode root;
  private final long seed;
  private final List<String> lines; // non-blank lines of the source text
  private final String email;
  private final String url;
  private int depth;

  private SchemaInstanceGenerator(JsonNode root, long seed, String sourceText, String promptText) {
    this.root = root;
    this.seed = seed;
    this.lines = new ArrayList<>();
    String src = sourceText == null ? "" : sourceText;
    for (String l : src.split("\\R")) if (!l.isBlank()) lines.add(l);
    String all = (promptText == null ? "" : promptText) + "\n" + src;
    Matcher m = EMAIL.matcher(src);
    if (!m.find()) m = EMAIL.matcher(all);
    else m.reset();
    this.email = m.find() ? m.group() : null;
    Matcher u = URL.matcher(src);
    if (!u.find()) u = URL.matcher(all);
    else u.reset();
    this.url = u.find() ? u.group() : null;
  }

  /** A valid instance of {@code schema} for {@code seed}, with strings quoted from {@code sourceText}. */
  public static JsonNode generate(JsonNode schema, long seed, String sourceText) {
    return generate(schema, seed, sourceText, sourceText);
  }

  /** As {@link #generate(JsonNode, long, String)}; {@code promptText} is searched for emails/URLs when the source has none. */
  public static JsonNode generate(JsonNode schema, long seed, String sourceText, String promptText) {
    SchemaInstanceGenerator g = new SchemaInstanceGenerator(schema, seed, sourceText, promptText);
    return g.gen(schema == null ? F.objectNode() : schema, "$");
  }

  /** A small JSON object for "JSON mode" without a schema (OpenAI json_object, Ollama format:"json"). */
  public static JsonNode smallObject(long seed, String sourceText) {
    SchemaInstanceGenerator g = new SchemaInstanceGenerator(null, seed, sourceText, sourceText);
    ObjectNode o = F.objectNode();
    o.put("answer", g.phrase("$.answer", 0, 80));
    o.put("confidence", new int[] {60, 70, 80, 90}[(int) Math.floorMod(TextGenerator.mix(seed), 4)] / 100.0);
    return o;
  }

  private SplittableRandom rnd(String path) {
    return new SplittableRandom(TextGenerator.mix(TextGenerator.hash(seed, path)));
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
    if (schema == null || schema.isBoolean() || !schema.isObject()) return F.textNode(phrase(path, 1, 40));
    JsonNode s = resolve(schema);
    if (s.has("allOf") && s.get("allOf").isArray()) s = mergeAllOf(s);
    if (s.has("const")) return s.get("const").deepCopy();
    if (s.has("enum") && s.get("enum").isArray() && s.get("enum").size() > 0) {
      JsonNode e = s.get("enum");
      List<JsonNode> candidates = new ArrayList<>();
      for (JsonNode v : e) if (!v.isNull()) candidates.add(v);
      if (candidates.isEmpty()) return F.nullNode();
      return candidates.get(rnd(path).nextInt(candidates.size())).deepCopy();
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
        return F.numberNode(integer(s, path));
      case "number":
        return number(s, path);
      case "boolean":
        return F.booleanNode(rnd(path).nextBoolean());
      case "null":
        return F.nullNode();
      default:
        return F.textNode(string(s, path));
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
      o.set(r, ps != null ? gen(ps, path + "." + r) : (additionalSchema(s) != null ? gen(additionalSchema(s), path + "." + r) : F.textNode(phrase(path + "." + r, 1, 40))));
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
      o.set(name, extra != null && extra.isObject() ? gen(extra, path + "." + name) : F.textNode(phrase(path + "." + name, 1, 40)));
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
    int want = 1 + rnd(path + "#n").nextInt(3); // 1..3
    int n = Math.max(min, Math.min(want, max));
    if (tuple != null) n = Math.max(n, Math.min(tuple.size(), max));
    boolean unique = s.path("uniqueItems").asBoolean(false);
    Set<JsonNode> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      JsonNode is = tuple != null && i < tuple.size() ? tuple.get(i) : items;
      JsonNode v = null;
      for (int attempt = 0; attempt < 20; attempt++) {
        v = is == null ? F.textNode(phrase(path + "[" + i + "]" + attempt, 1, 40)) : gen(is, path + "[" + i + "]" + (attempt == 0 ? "" : "~" + attempt));
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

  private long integer(JsonNode s, String path) {
    long lo = Long.MIN_VALUE, hi = Long.MAX_VALUE;
    if (s.has("minimum")) lo = (long) Math.ceil(s.get("minimum").asDouble());
    if (s.has("maximum")) hi = (long) Math.floor(s.get("maximum").asDouble());
    JsonNode em = s.get("exclusiveMinimum"), eM = s.get("exclusiveMaximum");
    if (em != null && em.isNumber()) lo = Math.max(lo, (long) Math.floor(em.asDouble()) + 1);
    if (em != null && em.isBoolean() && em.asBoolean() && s.has("minimum")) lo = (long) Math.floor(s.get("minimum").asDouble()) + 1;
    if (eM != null && eM.isNumber()) hi = Math.min(hi, (long) Math.ceil(eM.asDouble()) - 1);
    if (eM != null && eM.isBoolean() && eM.asBoolean() && s.has("maximum")) hi = (long) Math.ceil(s.get("maximum").asDouble()) - 1;
    if (lo == Long.MIN_VALUE && hi == Long.MAX_VALUE) {
      lo = 0;
      hi = 100;
    } else if (lo == Long.MIN_VALUE) {
      lo = hi - 100;
    } else if (hi == Long.MAX_VALUE) {
      hi = lo + 100;
    }
    if (hi < lo) hi = lo;
    long span = hi - lo + 1;
    long v = lo + (span <= 0 ? 0 : Math.floorMod(rnd(path).nextLong(), span));
    long mult = s.has("multipleOf") ? s.get("multipleOf").asLong() : 0;
    if (mult > 0) {
      long up = Math.floorDiv(v + mult - 1, mult) * mult;
      long down = Math.floorDiv(v, mult) * mult;
      if (up <= hi) v = up;
      else if (down >= lo) v = down;
    }
    return v;
  }

  private JsonNode number(JsonNode s, String path) {
    double lo = Double.NaN, hi = Double.NaN;
    boolean exLo = false, exHi = false;
    if (s.has("minimum")) lo = s.get("minimum").asDouble();
    if (s.has("maximum")) hi = s.get("maximum").asDouble();
    JsonNode em = s.get("exclusiveMinimum"), eM = s.get("exclusiveMaximum");
    if (em != null && em.isNumber()) { lo = Double.isNaN(lo) ? em.asDouble() : Math.max(lo, em.asDouble()); exLo = true; }
    if (em != null && em.isBoolean() && em.asBoolean()) exLo = true;
    if (eM != null && eM.isNumber()) { hi = Double.isNaN(hi) ? eM.asDouble() : Math.min(hi, eM.asDouble()); exHi = true; }
    if (eM != null && eM.isBoolean() && eM.asBoolean()) exHi = true;
    if (Double.isNaN(lo) && Double.isNaN(hi)) { lo = 0; hi = 100; }
    else if (Double.isNaN(lo)) lo = hi - 100;
    else if (Double.isNaN(hi)) hi = lo + 100;
    // pick on a grid of 0.25 steps inside the open/closed interval
    double f = rnd(path).nextDouble();
    double v = lo + (hi - lo) * f;
    double q = Math.round(v * 4) / 4.0;
    if (q >= lo && q <= hi && !(exLo && q == lo) && !(exHi && q == hi)) v = q;
    if (exLo && v <= lo) v = lo + (hi - lo) / 2;
    if (exHi && v >= hi) v = lo + (hi - lo) / 2;
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return F.numberNode((long) v);
    return F.numberNode(v);
  }

  private String string(JsonNode s, String path) {
    int min = s.has("minLength") ? Math.max(0, s.get("minLength").asInt()) : 0;
    int max = s.has("maxLength") ? s.get("maxLength").asInt() : Integer.MAX_VALUE;
    String format = s.path("format").asText("");
    String v = switch (format) {
      case "email", "idn-email" -> email != null ? email : "jordan.lee@example.com";
      case "uri", "url", "iri", "uri-reference" -> url != null ? url : "https://example.com/" + slug(path);
      case "hostname" -> url != null ? url.replaceFirst("https?://", "").replaceFirst("/.*", "") : "example.com";
      case "date" -> "2026-11-" + (10 + rnd(path).nextInt(19));
      case "date-time" -> "2026-11-" + (10 + rnd(path).nextInt(19)) + "T09:30:00Z";
      case "time" -> "09:30:00Z";
      case "uuid" -> uuid(path);
      case "ipv4" -> "192.0.2." + (1 + rnd(path).nextInt(250));
      default -> null;
    };
    if (v != null && v.length() >= min && v.length() <= max) return v;
    return phrase(path, min, max);
  }

  private String slug(String path) {
    return Long.toHexString(TextGenerator.mix(TextGenerator.hash(seed, path)) & 0xffffffL);
  }

  private String uuid(String path) {
    SplittableRandom r = rnd(path);
    long a = r.nextLong(), b = r.nextLong();
    a = (a & ~0xF000L) | 0x4000L;
    b = (b & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(a, b).toString();
  }

  /**
   * A phrase of whole words cut from one line of the source text (an exact substring of it), length in
   * [min,max]; falls back to filler words when the source cannot satisfy the limits.
   */
  String phrase(String path, int min, int max) {
    if (max <= 0) return "";
    SplittableRandom r = rnd(path);
    if (!lines.isEmpty()) {
      String line = lines.get(r.nextInt(lines.size()));
      List<int[]> words = new ArrayList<>();
      Matcher m = Pattern.compile("\\S+").matcher(line);
      while (m.find()) {
        int st = m.start(), en = m.end();
        // trim trailing punctuation so phrases end on a word
        while (en > st + 1 && ",.;:!?)\"'".indexOf(line.charAt(en - 1)) >= 0) en--;
        words.add(new int[] {st, en});
      }
      if (!words.isEmpty()) {
        int start = r.nextInt(words.size());
        int len = 2 + r.nextInt(5); // 2..6 words
        int end = Math.min(words.size() - 1, start + len - 1);
        // shrink to maxLength
        while (end > start && words.get(end)[1] - words.get(start)[0] > max) end--;
        // grow to minLength: first forwards, then backwards
        while (words.get(end)[1] - words.get(start)[0] < min && end < words.size() - 1) end++;
        while (words.get(end)[1] - words.get(start)[0] < min && start > 0) start--;
        String p = line.substring(words.get(start)[0], words.get(end)[1]);
        if (p.length() > max) p = p.substring(0, max).stripTrailing();
        if (p.length() >= min && p.length() <= max && !p.isEmpty()) return p;
      }
    }
    StringBuilder sb = new StringBuilder();
    int i = r.nextInt(FILLER.length);
    int words = 0;
    while (sb.length() < Math.max(min, 1) || (words < 2 && sb.length() + 1 + FILLER[i % FILLER.length].length() <= max)) {
      if (sb.length() > 0) sb.append(' ');
      sb.append(FILLER[i++ % FILLER.length]);
      words++;
      if (sb.length() >= max) break;
    }
    String p = sb.toString();
    if (p.length() > max) p = p.substring(0, max);
    while (p.length() < min) p = p + "x";
    return p;
  }
}
