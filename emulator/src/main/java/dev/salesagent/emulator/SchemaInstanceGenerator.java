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
 */
public final class SchemaInstanceGenerator {
  // Precompiled: these run for every generated answer (String.split/matches/replaceAll would compile per call).
  // Schemas repeat their patterns request after request: compile each once (bounded by the schemas a process sees).
  private static final java.util.concurrent.ConcurrentHashMap<String, Pattern> SCHEMA_PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.concurrent.ConcurrentHashMap<String, Pattern> MULTILINE_PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();
  private static final Pattern LINE_BREAK = Pattern.compile("\\R");
  private static final Pattern NON_ALNUM = Pattern.compile("[^a-z0-9]+");
  private static final Pattern NUMBER = Pattern.compile("\\d+([.]\\d+)?");
  private static final Pattern HAS_SEPARATOR = Pattern.compile(".*(\\||\u00b7|\u2022|,|;).*");
  private static final Pattern ENDS_LIKE_PROSE = Pattern.compile(".*[.!?,:][\"'\u201d\u2019)]*$");
  private static final Pattern HAS_LETTER = Pattern.compile(".*\\p{L}.*");
  private static final Pattern TRAILING_DOTS = Pattern.compile("[.]+$");
  private static final Pattern TRAILING_DOT_SEMI_COMMA = Pattern.compile("[.;,]+$");
  private static final Pattern TRAILING_COMMA_SEMI_COLON = Pattern.compile("[,;:]+$");
  private static final Pattern LEADING_QUOTES = Pattern.compile("^[\"'\u201c\u2018(]+");
  private static final Pattern TRAILING_PUNCT_QUOTES = Pattern.compile("[,.;:!?\"'\u201d\u2019)]+$");
  private static final Pattern CAMEL_BOUNDARY = Pattern.compile("([a-z0-9])([A-Z])");
  private static final Pattern NON_SPACE_RUN = Pattern.compile("\\S+");

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~%/-]*)?");
  private static final String[] FILLER = {
    "qualified", "lead", "strong", "fit", "growth", "team", "priority", "follow", "up", "budget", "timeline", "value"
  };

  private static final Pattern HOST = Pattern.compile(
      "(?<![@\\w.-])(?:www\\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\\.[a-z]{2,24}(?![\\w@-]|\\.[a-z0-9])");
  private static final Pattern PHONE = Pattern.compile("(?<![\\w+])\\+?(?:\\(\\d{1,4}\\)[ .-]?)?\\d[\\d .()-]{5,22}\\d(?![\\w])");
  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d");
  private static final Pattern LABEL = Pattern.compile("^\\s*([A-Z][A-Za-z]*(?: [A-Za-z]+){0,2}):\\s+(?=\\S)");
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+[\"'\u201d\u2019)]*\\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])");
  private static final Pattern CLAUSE_SPLIT = Pattern.compile(",\\s+|;\\s+|:\\s+|\\s+[-\u2013\u2014|\u00b7\u2022]\\s+");
  private static final Pattern SEGMENT_SPLIT = Pattern.compile("\\s+[|\u00b7\u2022\u2013\u2014-]\\s+|,\\s+|;\\s+|:\\s+|\\t+|\\s{2,}|\\s*\\|\\s*");
  private static final Pattern CHUNK_SPLIT = Pattern.compile("\\s+-{2,}\\s+|\\s+[\u2013\u2014]\\s+");
  private static final Pattern PERSON_NAME = Pattern.compile("[A-Z][a-z'\u2019-]+(?:\\s+(?:[A-Z]\\.|[A-Z][a-z'\u2019-]+)){1,3}");
  /** Private marker: a merged anyOf/oneOf had a null branch. */
  private static final String NULLABLE = "\u0000nullable";

  private final JsonNode root;
  private final long seed;
  private final String src;
  private final List<String> lines; // non-blank lines of the source text
  private final List<String> emails = new ArrayList<>();
  private final List<String> urls = new ArrayList<>();
  private final List<String> hosts = new ArrayList<>();
  private final List<String> phones = new ArrayList<>();
  private final List<String> sentences = new ArrayList<>();
  private final List<String> longSentences = new ArrayList<>();
  private final List<Integer> longSentenceLine = new ArrayList<>();
  private final List<String> clauses = new ArrayList<>();
  private final List<String> segments = new ArrayList<>();
  private final Map<String, String> labelled = new LinkedHashMap<>();
  private final boolean hasDigits;
  /** Strings already given, so sibling fields and array items prefer other parts of the text. */
  private final Set<String> used = new HashSet<>();
  private int depth;
  /** Fallback mode: strings are phrases (formats still honoured), no text heuristics. */
  private boolean plain;

  private SchemaInstanceGenerator(JsonNode root, long seed, String sourceText, String promptText) {
    this.root = root;
    this.seed = seed;
    this.lines = new ArrayList<>();
    String src = sourceText == null ? "" : sourceText;
    this.src = src;
    for (String l : LINE_BREAK.split(src)) if (!l.isBlank()) lines.add(l);
    String all = (promptText == null ? "" : promptText) + "\n" + src;
    EmailScan.collect(src, emails);
    if (emails.isEmpty()) EmailScan.collect(all, emails);
    collect(URL, src, urls);
    if (urls.isEmpty()) collect(URL, all, urls);
    urls.replaceAll(u -> TRAILING_DOTS.matcher(u).replaceAll(""));
    Set<String> h = new LinkedHashSet<>();
    for (String u : urls) h.add(u.replaceFirst("https?://", "").replaceFirst("/.*", ""));
    Matcher hm = HOST.matcher(src);
    while (hm.find()) h.add(hm.group());
    hosts.addAll(h);
    Matcher pm = PHONE.matcher(src);
    Set<String> ph = new LinkedHashSet<>();
    while (pm.find()) {
      String p = pm.group().strip();
      long digits = p.chars().filter(Character::isDigit).count();
      if (digits >= 7 && digits <= 15 && !ISO_DATE.matcher(p).find() && !NUMBER.matcher(p).matches()) ph.add(p);
    }
    phones.addAll(ph);
    this.hasDigits = src.chars().anyMatch(Character::isDigit);
    split();
  }

  private static void collect(Pattern p, String text, List<String> into) {
    Matcher m = p.matcher(text);
    while (m.find()) if (!into.contains(m.group())) into.add(m.group());
  }

  /** Sentences, clauses, labelled values and short segments of the source text, in text order. */
  private void split() {
    Set<String> cl = new LinkedHashSet<>();
    Set<String> formSegs = new LinkedHashSet<>(), proseSegs = new LinkedHashSet<>();
    for (int li = 0; li < lines.size(); li++) {
      String v = lines.get(li).strip();
      Matcher lm = LABEL.matcher(v);
      if (lm.find()) {
        String value = v.substring(lm.end()).strip();
        labelled.putIfAbsent(String.join(" ", words(lm.group(1))), TRAILING_DOT_SEMI_COMMA.matcher(value).replaceAll(""));
        v = value;
      }
      if (v.isEmpty()) continue;
      int from = 0;
      Matcher se = SENTENCE_END.matcher(v);
      List<String> ss = new ArrayList<>();
      while (se.find()) {
        ss.add(v.substring(from, se.end()).strip());
        from = se.end();
      }
      ss.add(v.substring(from).strip());
      for (String sentence : ss) {
        if (sentence.isEmpty()) continue;
        sentences.add(sentence);
        int nw = WordCount.of(sentence);
        if (nw >= 4) {
          longSentences.add(sentence);
          longSentenceLine.add(li);
        }
        if (nw <= 16 && Character.isLetterOrDigit(sentence.charAt(0))) cl.add(sentence);
        for (String c : CLAUSE_SPLIT.split(sentence)) {
          String t = TRAILING_COMMA_SEMI_COLON.matcher(c.strip()).replaceAll("");
          if (t.isEmpty() || !Character.isLetterOrDigit(t.charAt(0)) || WordCount.of(t) < 2) continue;
          if (t.chars().filter(ch -> ch == '(').count() != t.chars().filter(ch -> ch == ')').count()) continue;
          if (sentence.contains(t)) cl.add(t);
        }
      }
      // Short segments, per chunk (a sentence, or a part after " -- "). A chunk that ends like a sentence (or like a
      // closing such as "Best regards,") is prose; one without punctuation at the end is form-like (a signature
      // line, "a | b | c"), and its segments come first.
      for (String sentence : ss) {
        for (String chunk : CHUNK_SPLIT.split(sentence)) {
          String c = chunk.strip();
          if (c.isEmpty()) continue;
          boolean separated = HAS_SEPARATOR.matcher(c).matches();
          boolean prose = ENDS_LIKE_PROSE.matcher(c).matches() || (!separated && WordCount.of(c) > 12);
          for (String seg : SEGMENT_SPLIT.split(c)) {
            String t = TRAILING_PUNCT_QUOTES.matcher(LEADING_QUOTES.matcher(seg.strip()).replaceAll("")).replaceAll("").strip();
            if (t.length() < 2 || t.length() > 60 || WordCount.of(t) > 6 || !HAS_LETTER.matcher(t).matches()) continue;
            if (t.contains("@") || t.contains("://") || t.chars().filter(Character::isDigit).count() >= 3) continue;
            if (HOST.matcher(t).find()) continue;
            if (!v.contains(t)) continue;
            (prose ? proseSegs : formSegs).add(t);
          }
        }
      }
    }
    if (longSentences.isEmpty()) {
      longSentences.addAll(sentences);
      for (int k = 0; k < sentences.size(); k++) longSentenceLine.add(-1 - k); // no paragraphs across these
    }
    clauses.addAll(cl);
    segments.addAll(formSegs);
    for (String t : proseSegs) if (!segments.contains(t)) segments.add(t);
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
      SchemaInstanceGenerator plain = new SchemaInstanceGenerator(schema, seed, sourceText, promptText);
      plain.plain = true;
      return plain.gen(schema == null ? F.objectNode() : schema, "$");
    }
  }

  /** As {@link #generate(JsonNode, long, String, String)} without the plain-phrase safety net (tests). */
  static JsonNode generateStrict(JsonNode schema, long seed, String sourceText, String promptText) {
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
        if (nullable(s) && !hasDigits) return F.nullNode();
        return F.numberNode(integer(s, path));
      case "number":
        if (nullable(s) && !hasDigits) return F.nullNode();
        return number(s, path);
      case "boolean":
        return F.booleanNode(rnd(path).nextBoolean());
      case "null":
        return F.nullNode();
      default: {
        String v = string(s, path);
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
    int want = rnd(path + "#n").nextInt(4); // 0..3
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

  // ---------------------------------------------------------------------------------------------------------------
  // Strings: what kind of value a field wants (from format, name and description) and where to find it in the text.

  private enum Kind { EMAIL, URL, HOST, WEB, PHONE, PERSON, SHORT, CLAUSE, PROSE }

  private static final Set<String> SHORT_WORDS = Set.of("title", "role", "position", "company", "organisation",
      "organization", "org", "employer", "firm", "city", "country", "location", "label", "department", "team", "industry",
      "tag", "category");
  private static final Set<String> CLAUSE_WORDS = Set.of("quote", "evidence", "excerpt", "citation", "snippet", "subject",
      "headline", "heading", "topic");
  private static final Set<String> PARAGRAPH_WORDS = Set.of("body", "summary", "paragraph", "sentences", "description", "overview");
  private static final Set<String> PROSE_WORDS = Set.of("summary", "body", "description", "message", "text", "content",
      "answer", "explanation", "rationale", "reason", "reasons", "point", "points", "detail", "details", "note", "notes",
      "comment", "comments", "sentence", "paragraph", "why", "justification", "analysis");

  /** The property name a path ends in: {@code $.a.b[2]~1} → {@code b}. */
  private static String fieldName(String path) {
    String p = path;
    int cut = p.indexOf('[', Math.max(0, p.lastIndexOf('.')));
    if (cut >= 0) p = p.substring(0, cut);
    int dot = p.lastIndexOf('.');
    return dot >= 0 ? p.substring(dot + 1) : "";
  }

  private static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    // camelCase → camel case, snake_case → snake case
    String t = CAMEL_BOUNDARY.matcher(s).replaceAll("$1 $2").toLowerCase(java.util.Locale.ROOT);
    for (String w : NON_ALNUM.split(t)) if (!w.isEmpty()) out.add(w);
    return out;
  }

  private static Kind kindOf(String format, String name, String description) {
    switch (format) {
      case "email", "idn-email" -> { return Kind.EMAIL; }
      case "uri", "url", "iri", "uri-reference" -> { return Kind.URL; }
      case "hostname", "idn-hostname" -> { return Kind.HOST; }
      default -> { }
    }
    List<String> w = words(name);
    String joined = String.join(" ", w);
    String flat = String.join("", w);
    if (flat.contains("email") || w.contains("mail")) return Kind.EMAIL;
    if (flat.contains("website") || flat.contains("homepage") || w.contains("url") || w.contains("uri") || w.contains("link")
        || w.contains("site") || w.contains("web")) return Kind.WEB;
    if (w.contains("domain") || w.contains("hostname") || w.contains("host")) return Kind.HOST;
    if (flat.contains("phone") || w.contains("tel") || w.contains("mobile") || w.contains("fax") || w.contains("cell")) return Kind.PHONE;
    if (joined.equals("name") || joined.equals("full name") || joined.equals("fullname") || joined.equals("contact name")
        || joined.equals("person name") || joined.equals("person") || joined.equals("contact")) return Kind.PERSON;
    for (String x : w) if (CLAUSE_WORDS.contains(x)) return Kind.CLAUSE;
    for (String x : w) if (SHORT_WORDS.contains(x)) return Kind.SHORT;
    for (String x : w) if (PROSE_WORDS.contains(x)) return Kind.PROSE;
    List<String> d = words(description);
    for (String x : d) if (CLAUSE_WORDS.contains(x)) return Kind.CLAUSE;
    if (d.contains("sentence") || d.contains("sentences") || d.contains("paragraph") || d.contains("body")) return Kind.PROSE;
    return Kind.CLAUSE;
  }

  private static boolean nullable(JsonNode s) {
    JsonNode t = s.get("type");
    if (t != null && t.isArray()) for (JsonNode x : t) if ("null".equals(x.asText())) return true;
    return s.path(NULLABLE).asBoolean(false);
  }

  /** A string for {@code s}, or {@code null} (JSON null) when the field is nullable and the text has no such value. */
  private String string(JsonNode s, String path) {
    int min = s.has("minLength") ? Math.max(0, s.get("minLength").asInt()) : 0;
    int max = s.has("maxLength") ? s.get("maxLength").asInt() : Integer.MAX_VALUE;
    boolean nullable = nullable(s);
    String format = s.path("format").asText("");
    Pattern pattern = null;
    if (s.path("pattern").isTextual()) {
      try {
        pattern = SCHEMA_PATTERNS.computeIfAbsent(s.get("pattern").asText(), Pattern::compile);
      } catch (java.util.regex.PatternSyntaxException e) {
        pattern = null;
      }
    }
    String v = switch (format) {
      case "date" -> "2026-11-" + (10 + rnd(path).nextInt(19));
      case "date-time" -> "2026-11-" + (10 + rnd(path).nextInt(19)) + "T09:30:00Z";
      case "time" -> "09:30:00Z";
      case "uuid" -> uuid(path);
      case "ipv4" -> "192.0.2." + (1 + rnd(path).nextInt(250));
      default -> null;
    };
    if (v != null && v.length() >= min && v.length() <= max && (pattern == null || pattern.matcher(v).find())) return v;
    if (plain) {
      String f = switch (format) {
        case "email", "idn-email" -> emails.isEmpty() ? "jordan.lee@example.com" : emails.get(0);
        case "uri", "url", "iri", "uri-reference" -> urls.isEmpty() ? "https://example.com/" + slug(path) : urls.get(0);
        case "hostname", "idn-hostname" -> hosts.isEmpty() ? "example.com" : hosts.get(0);
        default -> null;
      };
      return f != null && f.length() >= min && f.length() <= max ? f : phrase(path, min, max);
    }
    Kind kind = kindOf(format, fieldName(path), s.path("description").asText(""));
    if (pattern != null) return patterned(pattern, kind, nullable, path, min, max);
    if (kind == Kind.PROSE) {
      String p = prose(s, path, min, max);
      if (p != null) {
        used.add(p);
        return p;
      }
    }
    List<String> found = candidates(kind, path, s);
    String pick = first(found, min, max, kind == Kind.PROSE || kind == Kind.CLAUSE ? rnd(path) : null);
    if (pick != null) {
      used.add(pick);
      return pick;
    }
    boolean located = kind == Kind.EMAIL || kind == Kind.URL || kind == Kind.HOST || kind == Kind.WEB
        || kind == Kind.PHONE || kind == Kind.PERSON;
    if (located && nullable) return null;
    String fallback = switch (kind) {
      case EMAIL -> "jordan.lee@example.com";
      case URL -> "https://example.com/" + slug(path);
      case HOST, WEB -> "example.com";
      case PHONE -> "+1 202 555 0100";
      default -> null;
    };
    if (fallback != null && fallback.length() >= min && fallback.length() <= max) return fallback;
    return phrase(path, min, max);
  }

  /**
   * Prose: an unused sentence of the text (one with 4+ words first), or for a paragraph-like field (body, summary, or
   * maxLength ≥ 500) two or three consecutive such sentences; {@code null} when nothing fits.
   */
  private String prose(JsonNode s, String path, int min, int max) {
    SplittableRandom r = rnd(path + "#prose");
    List<String> w = new ArrayList<>(words(fieldName(path)));
    w.addAll(words(s.path("description").asText("")));
    boolean paragraph = s.path("maxLength").asInt(0) >= 500 || w.stream().anyMatch(PARAGRAPH_WORDS::contains);
    List<String> pool = new ArrayList<>();
    for (String x : longSentences) if (!used.contains(x)) pool.add(x);
    if (pool.isEmpty()) {
      for (String x : sentences) if (!used.contains(x) && !longSentences.contains(x) && WordCount.of(x) >= 3) pool.add(x);
    }
    if (pool.isEmpty()) pool.addAll(longSentences); // repeat a sentence rather than answer with a bare value
    if (pool.isEmpty()) return null;
    for (int attempt = 0; attempt < pool.size(); attempt++) {
      String start = pool.get((r.nextInt(pool.size()) + attempt) % pool.size());
      String text = start;
      if (paragraph) {
        int at = longSentences.indexOf(start);
        int want = 2 + r.nextInt(2);
        // start early enough in its line to have the sentences that follow
        while (at > 0 && longSentenceLine.get(at - 1).equals(longSentenceLine.get(at)) && (at + want > longSentences.size()
            || !longSentenceLine.get(at + want - 1).equals(longSentenceLine.get(at)))) {
          at--;
        }
        if (at >= 0) text = longSentences.get(at);
        // consecutive sentences of the same line, so the paragraph is a substring of the text
        for (int k = 1; at >= 0 && k < want && at + k < longSentences.size()
            && longSentenceLine.get(at + k).equals(longSentenceLine.get(at)); k++) {
          String next = text + " " + longSentences.get(at + k);
          if (next.length() > max) break;
          text = next;
        }
      }
      if (text.length() >= Math.max(1, min) && text.length() <= max) return text;
    }
    return null;
  }

  /** Values of {@code kind} found in the text, best first. */
  private List<String> candidates(Kind kind, String path, JsonNode s) {
    switch (kind) {
      case EMAIL:
        return emails;
      case URL: {
        List<String> out = new ArrayList<>(urls);
        for (String h : hosts) out.add("https://" + h);
        return out;
      }
      case WEB: {
        List<String> out = new ArrayList<>(urls);
        out.addAll(hosts);
        return out;
      }
      case HOST:
        return hosts;
      case PHONE:
        return phones;
      case PERSON: {
        List<String> out = new ArrayList<>();
        for (String k : new String[] {"name", "full name", "contact", "contact name"}) {
          String lv = labelled.get(k);
          if (lv != null && PERSON_NAME.matcher(lv).matches()) out.add(lv);
        }
        for (String seg : segments) if (PERSON_NAME.matcher(seg).matches()) out.add(seg);
        // a capitalised name inside a sentence; a sentence's first word is capitalised anyway, so it is dropped
        for (String sentence : sentences) {
          Matcher m = PERSON_NAME.matcher(sentence);
          while (m.find()) {
            String n = m.group();
            if (m.start() == 0) {
              int sp = n.indexOf(' ');
              n = n.substring(sp + 1);
              if (!PERSON_NAME.matcher(n).matches()) continue;
            }
            out.add(n);
          }
        }
        return unusedFirst(out);
      }
      case SHORT: {
        List<String> out = new ArrayList<>();
        String name = String.join(" ", words(fieldName(path)));
        String desc = String.join(" ", words(s.path("description").asText("")));
        for (Map.Entry<String, String> e : labelled.entrySet()) {
          String k = e.getKey();
          if (!name.isEmpty() && (k.equals(name) || k.endsWith(" " + name) || (!desc.isEmpty() && (desc.equals(k) || desc.startsWith(k + " "))))) {
            out.add(e.getValue());
          }
        }
        out.addAll(unusedFirst(segments));
        return out;
      }
      case PROSE:
        return unusedFirst(sentences.size() > 0 ? longSentences : List.of());
      default: {
        // a quote a model would pick: an unused clause of 3+ words, else any clause
        List<String> out = new ArrayList<>();
        for (String c : clauses) if (!used.contains(c) && WordCount.of(c) >= 3) out.add(c);
        return out.isEmpty() ? unusedFirst(clauses) : out;
      }
    }
  }

  private List<String> unusedFirst(List<String> xs) {
    List<String> a = new ArrayList<>(), b = new ArrayList<>();
    for (String x : xs) (used.contains(x) ? b : a).add(x);
    a.addAll(b);
    return a;
  }

  /** The first (or, with {@code r}, a random one among the unused) candidate within the length limits. */
  private String first(List<String> xs, int min, int max, SplittableRandom r) {
    List<String> fit = new ArrayList<>();
    for (String x : xs) if (x.length() >= Math.max(1, min) && x.length() <= max) fit.add(x);
    if (fit.isEmpty()) return null;
    if (r == null) return fit.get(0);
    int unused = 0;
    while (unused < fit.size() && !used.contains(fit.get(unused))) unused++;
    return fit.get(r.nextInt(unused > 0 ? unused : fit.size()));
  }

  /** A string for a {@code pattern}: a match found in the text, else one generated from the pattern, else a phrase. */
  private String patterned(Pattern p, Kind kind, boolean nullable, String path, int min, int max) {
    List<String> found = new ArrayList<>(candidates(kind, path, F.objectNode()));
    for (List<String> xs : List.of(phones, emails, urls, hosts, segments, clauses, sentences)) found.addAll(xs);
    found.addAll(labelled.values());
    for (String l : lines) found.add(l.strip());
    // matches inside the text, with ^ and $ at line ends
    String unanchored = p.pattern().replaceFirst("^\\^", "").replaceFirst("(?<!\\\\)\\$$", "");
    for (String re : List.of(p.pattern(), unanchored)) {
      Matcher m;
      try {
        m = MULTILINE_PATTERNS.computeIfAbsent(re, r -> Pattern.compile(r, Pattern.MULTILINE)).matcher(src);
      } catch (java.util.regex.PatternSyntaxException e) {
        continue;
      }
      int n = 0;
      while (m.find() && n++ < 50) if (m.end() > m.start()) found.add(m.group().strip());
    }
    found.removeIf(x -> !p.matcher(x).find());
    String pick = first(unusedFirst(found), min, max, null);
    if (pick != null) {
      used.add(pick);
      return pick;
    }
    if (nullable) return null;
    SplittableRandom r = rnd(path + "#pattern");
    for (int attempt = 0; attempt < 30; attempt++) {
      String g;
      try {
        g = RegexSampler.sample(p.pattern(), r);
      } catch (RuntimeException e) {
        break;
      }
      if (g != null && g.length() <= max && p.matcher(g).find()) {
        if (g.length() >= min) return g;
        // pad with a matching prefix when only the length is short (the pattern is a search, not anchored)
        String pad = g + " " + phrase(path, 0, Math.max(0, max - g.length() - 1));
        if (pad.length() >= min && pad.length() <= max && p.matcher(pad).find()) return pad;
      }
    }
    return phrase(path, min, max);
  }

  /**
   * Generates a string matching a simple regular expression: literals, escapes ({@code \d \w \s} and escaped
   * characters), classes ({@code [a-z0-9_]}, negated ones), {@code .}, groups with alternation, quantifiers
   * ({@code ? * + {n} {n,} {n,m}}, lazy or possessive suffixes ignored) and anchors. Throws on what it cannot read.
   */
  static final class RegexSampler {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.@:/";
    private final String re;
    private final SplittableRandom r;
    private int i;

    private RegexSampler(String re, SplittableRandom r) {
      this.re = re;
      this.r = r;
    }

    static String sample(String re, SplittableRandom r) {
      RegexSampler s = new RegexSampler(re, r);
      StringBuilder sb = new StringBuilder();
      s.alternation(sb);
      if (s.i != re.length()) throw new IllegalArgumentException("unsupported regex at " + s.i);
      return sb.toString();
    }

    private void alternation(StringBuilder out) {
      List<StringBuilder> alts = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      alts.add(cur);
      while (i < re.length() && re.charAt(i) != ')') {
        if (re.charAt(i) == '|') {
          i++;
          cur = new StringBuilder();
          alts.add(cur);
          continue;
        }
        atomWithQuantifier(cur);
      }
      out.append(alts.get(r.nextInt(alts.size())));
    }

    private void atomWithQuantifier(StringBuilder out) {
      char c = re.charAt(i);
      if (c == '^' || c == '$') {
        i++;
        return;
      }
      // parse the atom once to find where it ends, then generate it n times
      java.util.function.Consumer<StringBuilder> gen = atom();
      int lo = 1, hi = 1;
      boolean quantified = false;
      if (i < re.length()) {
        char q = re.charAt(i);
        quantified = true;
        if (q == '?') { lo = 0; hi = 1; i++; }
        else if (q == '*') { lo = 0; hi = 3; i++; }
        else if (q == '+') { lo = 1; hi = 3; i++; }
        else if (q == '{') {
          int close = re.indexOf('}', i);
          if (close < 0) throw new IllegalArgumentException("unclosed quantifier");
          String[] parts = re.substring(i + 1, close).split(",", -1);
          lo = Integer.parseInt(parts[0].strip());
          hi = parts.length == 1 ? lo : (parts[1].isBlank() ? lo + 2 : Integer.parseInt(parts[1].strip()));
          i = close + 1;
        } else {
          quantified = false;
        }
        if (quantified && i < re.length() && (re.charAt(i) == '?' || re.charAt(i) == '+')) i++;
      }
      int n = lo + (hi > lo ? r.nextInt(Math.min(hi, lo + 3) - lo + 1) : 0);
      for (int k = 0; k < n; k++) gen.accept(out);
    }

    private java.util.function.Consumer<StringBuilder> atom() {
      char c = re.charAt(i);
      if (c == '(') {
        i++;
        if (re.startsWith("?:", i)) i += 2;
        else if (re.startsWith("?<", i) && !re.startsWith("?<=", i) && !re.startsWith("?<!", i)) i = re.indexOf('>', i) + 1;
        else if (re.charAt(i) == '?') throw new IllegalArgumentException("lookaround");
        int start = i;
        // find the matching ')' by sampling once to advance, then re-sample per repetition from the same text
        StringBuilder probe = new StringBuilder();
        alternation(probe);
        int end = i;
        if (i >= re.length() || re.charAt(i) != ')') throw new IllegalArgumentException("unbalanced group");
        i++;
        String inner = re.substring(start, end);
        return sb -> sb.append(sample(inner, r));
      }
      if (c == '[') {
        String cls = charClass();
        return sb -> sb.append(cls.charAt(r.nextInt(cls.length())));
      }
      if (c == '.') {
        i++;
        return sb -> sb.append(ALPHABET.charAt(r.nextInt(26)));
      }
      if (c == '\\') {
        String cls = escape();
        return sb -> sb.append(cls.charAt(r.nextInt(cls.length())));
      }
      if ("*+?{".indexOf(c) >= 0) throw new IllegalArgumentException("dangling quantifier");
      i++;
      return sb -> sb.append(c);
    }

    /** The characters an escape stands for (one string of choices); {@code \b} and anchors stand for nothing. */
    private String escape() {
      char e = re.charAt(i + 1);
      i += 2;
      return switch (e) {
        case 'd' -> "0123456789";
        case 'w' -> "abcdefghijklmnopqrstuvwxyz0123456789";
        case 's' -> " ";
        case 'D' -> "abcxyz";
        case 'W' -> " -.";
        case 'S' -> "abcxyz";
        case 'n' -> "\n";
        case 't' -> "\t";
        case 'b', 'B', 'A', 'z', 'Z' -> throw new IllegalArgumentException("boundary");
        default -> {
          if (Character.isLetterOrDigit(e)) throw new IllegalArgumentException("escape \\" + e);
          yield String.valueOf(e);
        }
      };
    }

    private String charClass() {
      i++; // [
      boolean negate = false;
      if (i < re.length() && re.charAt(i) == '^') {
        negate = true;
        i++;
      }
      StringBuilder set = new StringBuilder();
      boolean firstChar = true;
      while (i < re.length() && (re.charAt(i) != ']' || firstChar)) {
        firstChar = false;
        char c = re.charAt(i);
        String piece;
        if (c == '\\') {
          piece = escape();
        } else {
          i++;
          piece = String.valueOf(c);
        }
        if (piece.length() == 1 && i + 1 < re.length() && re.charAt(i) == '-' && re.charAt(i + 1) != ']') {
          i++;
          char to = re.charAt(i) == '\\' ? escape().charAt(0) : re.charAt(i++);
          for (char x = piece.charAt(0); x <= to; x++) set.append(x);
        } else {
          set.append(piece);
        }
      }
      if (i >= re.length()) throw new IllegalArgumentException("unclosed class");
      i++; // ]
      if (!negate) {
        if (set.length() == 0) throw new IllegalArgumentException("empty class");
        return set.toString();
      }
      StringBuilder rest = new StringBuilder();
      for (char x : ALPHABET.toCharArray()) if (set.indexOf(String.valueOf(x)) < 0) rest.append(x);
      if (rest.length() == 0) throw new IllegalArgumentException("empty negated class");
      return rest.toString();
    }
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
      Matcher m = NON_SPACE_RUN.matcher(line);
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
