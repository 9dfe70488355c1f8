package dev.salesagent.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaInstanceGeneratorTest {
  static final ObjectMapper M = new ObjectMapper();
  static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$");
  static final String SOURCE = "Lead: Marco Bianchi, CTO at Finch Robotics (marco@finch-robotics.com). "
      + "They run 40 warehouses, want fewer picking errors and asked for pricing next quarter.\nSecond line: budget approved in March.";

  /** A small JSON Schema checker for the keywords the generator claims to honour. */
  static List<String> validate(JsonNode schema, JsonNode value) {
    List<String> errors = new ArrayList<>();
    check(schema, schema, value, "$", errors);
    return errors;
  }

  private static JsonNode resolve(JsonNode root, JsonNode s) {
    while (s.has("$ref")) {
      String ref = s.get("$ref").asText();
      s = ref.equals("#") ? root : root.at(ref.substring(1));
    }
    return s;
  }

  private static boolean hasType(JsonNode v, String t) {
    return switch (t) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      default -> false;
    };
  }

  private static void check(JsonNode root, JsonNode s0, JsonNode v, String path, List<String> errors) {
    if (s0.isBoolean()) {
      if (!s0.asBoolean()) errors.add(path + ": false schema");
      return;
    }
    JsonNode s = resolve(root, s0);
    if (s.has("allOf")) for (JsonNode sub : s.get("allOf")) check(root, sub, v, path, errors);
    for (String k : new String[] {"anyOf", "oneOf"}) {
      if (s.has(k)) {
        int ok = 0;
        for (JsonNode sub : s.get(k)) {
          List<String> e = new ArrayList<>();
          check(root, sub, v, path, e);
          if (e.isEmpty()) ok++;
        }
        if (ok == 0 || (k.equals("oneOf") && ok > 1)) errors.add(path + ": " + k + " matched " + ok);
      }
    }
    JsonNode type = s.get("type");
    if (type != null) {
      boolean ok = false;
      if (type.isTextual()) ok = hasType(v, type.asText());
      else for (JsonNode t : type) ok |= hasType(v, t.asText());
      if (!ok) {
        errors.add(path + ": type " + type + " but got " + v);
        return;
      }
    }
    if (s.has("enum")) {
      boolean found = false;
      for (JsonNode e : s.get("enum")) found |= e.equals(v);
      if (!found) errors.add(path + ": not in enum: " + v);
    }
    if (s.has("const") && !s.get("const").equals(v)) errors.add(path + ": not const");
    if (v.isNumber()) {
      double d = v.asDouble();
      if (s.has("minimum") && d < s.get("minimum").asDouble()) errors.add(path + ": below minimum");
      if (s.has("maximum") && d > s.get("maximum").asDouble()) errors.add(path + ": above maximum");
      if (s.path("exclusiveMinimum").isNumber() && d <= s.get("exclusiveMinimum").asDouble()) errors.add(path + ": <= exclusiveMinimum");
      if (s.path("exclusiveMaximum").isNumber() && d >= s.get("exclusiveMaximum").asDouble()) errors.add(path + ": >= exclusiveMaximum");
      if (s.has("multipleOf") && d % s.get("multipleOf").asDouble() != 0) errors.add(path + ": not multipleOf");
    }
    if (v.isTextual()) {
      String t = v.asText();
      if (s.has("minLength") && t.codePointCount(0, t.length()) < s.get("minLength").asInt()) errors.add(path + ": shorter than minLength: " + t);
      if (s.has("maxLength") && t.codePointCount(0, t.length()) > s.get("maxLength").asInt()) errors.add(path + ": longer than maxLength: " + t);
      String f = s.path("format").asText("");
      if (f.equals("email") && !EMAIL.matcher(t).matches()) errors.add(path + ": not an email: " + t);
      if (f.equals("uri")) {
        try {
          if (URI.create(t).getScheme() == null) errors.add(path + ": uri without scheme: " + t);
        } catch (IllegalArgumentException e) {
          errors.add(path + ": not a uri: " + t);
        }
      }
      if (f.equals("date") && !t.matches("\\d{4}-\\d\\d-\\d\\d")) errors.add(path + ": not a date");
      if (f.equals("date-time") && !t.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)")) errors.add(path + ": not a date-time");
      if (f.equals("uuid") && !t.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) errors.add(path + ": not a uuid");
    }
    if (v.isArray()) {
      if (s.has("minItems") && v.size() < s.get("minItems").asInt()) errors.add(path + ": fewer than minItems");
      if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) errors.add(path + ": more than maxItems");
      if (s.path("uniqueItems").asBoolean(false)) {
        Set<JsonNode> seen = new HashSet<>();
        for (JsonNode x : v) if (!seen.add(x)) errors.add(path + ": duplicate item " + x);
      }
      JsonNode prefix = s.has("prefixItems") ? s.get("prefixItems") : (s.path("items").isArray() ? s.get("items") : null);
      for (int i = 0; i < v.size(); i++) {
        if (prefix != null && i < prefix.size()) check(root, prefix.get(i), v.get(i), path + "[" + i + "]", errors);
        else if (s.path("items").isObject()) check(root, s.get("items"), v.get(i), path + "[" + i + "]", errors);
      }
    }
    if (v.isObject()) {
      JsonNode props = s.path("properties");
      for (JsonNode r : s.path("required")) if (!v.has(r.asText())) errors.add(path + ": missing required " + r.asText());
      if (s.has("minProperties") && v.size() < s.get("minProperties").asInt()) errors.add(path + ": fewer than minProperties");
      if (s.has("maxProperties") && v.size() > s.get("maxProperties").asInt()) errors.add(path + ": more than maxProperties");
      Iterator<Map.Entry<String, JsonNode>> it = v.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (props.has(e.getKey())) check(root, props.get(e.getKey()), e.getValue(), path + "." + e.getKey(), errors);
        else if (s.has("additionalProperties")) {
          JsonNode ap = s.get("additionalProperties");
          if (ap.isBoolean() && !ap.asBoolean()) errors.add(path + ": additional property " + e.getKey());
          else if (ap.isObject()) check(root, ap, e.getValue(), path + "." + e.getKey(), errors);
        }
      }
    }
  }

  static final String[] SCHEMAS = {
    "{\"type\":\"string\"}",
    "{\"type\":\"integer\",\"minimum\":0,\"maximum\":100}",
    "{\"type\":\"integer\",\"minimum\":7,\"maximum\":7}",
    "{\"type\":\"integer\",\"exclusiveMinimum\":0,\"exclusiveMaximum\":3}",
    "{\"type\":\"integer\",\"minimum\":1000,\"multipleOf\":50}",
    "{\"type\":\"number\",\"minimum\":0.5,\"maximum\":0.75}",
    "{\"type\":\"number\",\"exclusiveMinimum\":0,\"exclusiveMaximum\":1}",
    "{\"type\":\"boolean\"}",
    "{\"type\":\"null\"}",
    "{\"type\":[\"string\",\"null\"],\"maxLength\":12}",
    "{\"type\":[\"null\",\"integer\"],\"minimum\":-5,\"maximum\":-1}",
    "{\"type\":\"string\",\"enum\":[\"hot\",\"warm\",\"cold\"]}",
    "{\"enum\":[1,\"two\",null]}",
    "{\"const\":\"fixed\"}",
    "{\"type\":\"string\",\"minLength\":200}",
    "{\"type\":\"string\",\"minLength\":3,\"maxLength\":3}",
    "{\"type\":\"string\",\"maxLength\":1}",
    "{\"type\":\"string\",\"maxLength\":0}",
    "{\"type\":\"string\",\"format\":\"email\"}",
    "{\"type\":\"string\",\"format\":\"uri\"}",
    "{\"type\":\"string\",\"format\":\"date\"}",
    "{\"type\":\"string\",\"format\":\"date-time\"}",
    "{\"type\":\"string\",\"format\":\"uuid\"}",
    "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}",
    "{\"type\":\"array\",\"items\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3},\"minItems\":3,\"maxItems\":3,\"uniqueItems\":true}",
    "{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\"]},\"minItems\":0,\"maxItems\":5,\"uniqueItems\":true}",
    "{\"type\":\"array\",\"maxItems\":0}",
    "{\"type\":\"array\",\"minItems\":6,\"items\":{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"string\"}},\"required\":[\"k\"]}}",
    "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"integer\"},{\"type\":\"string\"}],\"items\":false}",
    "{\"type\":\"object\"}",
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{}}",
    "{\"type\":\"object\",\"minProperties\":2,\"additionalProperties\":{\"type\":\"integer\"}}",
    "{\"type\":\"object\",\"maxProperties\":1,\"required\":[\"a\"],\"properties\":{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"string\"}}}",
    "{\"properties\":{\"x\":{\"type\":\"number\"}},\"required\":[\"x\"]}",
    "{\"type\":\"object\",\"required\":[\"who\"],\"properties\":{\"who\":{\"$ref\":\"#/$defs/person\"}},"
        + "\"$defs\":{\"person\":{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"name\",\"email\"],"
        + "\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":30},\"email\":{\"type\":\"string\",\"format\":\"email\"}}}}}",
    "{\"type\":\"object\",\"properties\":{\"v\":{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"integer\",\"minimum\":3}]}},\"required\":[\"v\"]}",
    "{\"oneOf\":[{\"type\":\"string\",\"maxLength\":5},{\"type\":\"integer\"}]}",
    "{\"allOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"]},"
        + "{\"properties\":{\"b\":{\"type\":\"boolean\"}},\"required\":[\"b\"]}]}",
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"score\",\"tier\",\"reasons\",\"next_action\",\"contact\"],"
        + "\"properties\":{\"score\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":100},"
        + "\"tier\":{\"type\":\"string\",\"enum\":[\"A\",\"B\",\"C\",\"D\"]},"
        + "\"reasons\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":5,\"items\":{\"type\":\"string\",\"minLength\":3,\"maxLength\":120}},"
        + "\"next_action\":{\"type\":[\"string\",\"null\"]},"
        + "\"contact\":{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"email\",\"website\",\"phone\"],"
        + "\"properties\":{\"email\":{\"type\":[\"string\",\"null\"],\"format\":\"email\"},\"website\":{\"type\":\"string\",\"format\":\"uri\"},"
        + "\"phone\":{\"type\":[\"string\",\"null\"]}}}}}",
  };

  @Test
  void generatesValidInstancesForManySchemasAndSeeds() throws Exception {
    for (String js : SCHEMAS) {
      JsonNode schema = M.readTree(js);
      for (long seed = 0; seed < 40; seed++) {
        JsonNode v = SchemaInstanceGenerator.generateStrict(schema, seed * 7919, SOURCE, SOURCE);
        assertThat(validate(schema, v)).as("schema %s seed %d value %s", js, seed, v).isEmpty();
      }
    }
  }

  @Test
  void emptySourceStillValid() throws Exception {
    for (String js : SCHEMAS) {
      JsonNode schema = M.readTree(js);
      JsonNode v = SchemaInstanceGenerator.generateStrict(schema, 1, "", "");
      assertThat(validate(schema, v)).as("schema %s value %s", js, v).isEmpty();
    }
  }

  @Test
  void theCheckerItselfRejectsInvalidValues() throws Exception {
    assertThat(validate(M.readTree("{\"type\":\"integer\",\"maximum\":100}"), M.readTree("150"))).isNotEmpty();
    assertThat(validate(M.readTree("{\"type\":\"string\",\"format\":\"email\"}"), M.readTree("\"nope\""))).isNotEmpty();
    assertThat(validate(M.readTree("{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{}}"), M.readTree("{\"a\":1}"))).isNotEmpty();
    assertThat(validate(M.readTree("{\"type\":\"object\",\"required\":[\"a\"]}"), M.readTree("{}"))).isNotEmpty();
    assertThat(validate(M.readTree("{\"type\":\"array\",\"minItems\":2}"), M.readTree("[1]"))).isNotEmpty();
    assertThat(validate(M.readTree("{\"enum\":[\"a\"]}"), M.readTree("\"b\""))).isNotEmpty();
    assertThat(validate(M.readTree("{\"type\":[\"string\",\"null\"]}"), M.readTree("null"))).isEmpty();
  }

  @Test
  void deterministic() throws Exception {
    JsonNode schema = M.readTree(SCHEMAS[SCHEMAS.length - 1]);
    assertThat(SchemaInstanceGenerator.generate(schema, 99, SOURCE)).isEqualTo(SchemaInstanceGenerator.generate(schema, 99, SOURCE));
    Set<JsonNode> distinct = new HashSet<>();
    for (long s = 0; s < 10; s++) distinct.add(SchemaInstanceGenerator.generate(schema, s, SOURCE));
    assertThat(distinct.size()).isGreaterThan(3);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void stringsAreWholeWordPhrasesQuotedFromTheInput(long seed) throws Exception {
    JsonNode schema = M.readTree("{\"type\":\"object\",\"required\":[\"a\",\"b\"],\"properties\":{\"a\":{\"type\":\"string\"},"
        + "\"b\":{\"type\":\"array\",\"minItems\":3,\"items\":{\"type\":\"string\",\"maxLength\":60}}}}");
    JsonNode v = SchemaInstanceGenerator.generate(schema, seed, SOURCE);
    List<String> strings = new ArrayList<>();
    strings.add(v.get("a").asText());
    v.get("b").forEach(x -> strings.add(x.asText()));
    for (String s : strings) {
      assertThat(SOURCE).contains(s);
      int at = SOURCE.indexOf(s);
      assertThat(at == 0 || Character.isWhitespace(SOURCE.charAt(at - 1))).as("starts on a word: %s", s).isTrue();
      assertThat(s).doesNotEndWith(" ").doesNotEndWith(",");
    }
  }

  @Test
  void emailComesFromThePrompt() throws Exception {
    JsonNode schema = M.readTree("{\"type\":\"string\",\"format\":\"email\"}");
    assertThat(SchemaInstanceGenerator.generate(schema, 3, SOURCE).asText()).isEqualTo("marco@finch-robotics.com");
    assertThat(SchemaInstanceGenerator.generate(schema, 3, "no address here").asText()).matches(EMAIL.pattern());
  }

  static final String SIGNATURE = """
      Thanks for the call yesterday. Happy to look at a pricing proposal next week, our budget is approved.

      Best regards,
      Dana Reyes
      VP of Sales | Northwind Logistics
      +1 312 555 0142 · northwind-logistics.com
      dana.reyes@northwind-logistics.com
      """;

  static JsonNode contactSchema() throws Exception {
    return M.readTree("""
        {"type":"object","additionalProperties":false,"required":["name","title","company","email","phone","website"],
         "properties":{
           "name":{"type":["string","null"],"description":"Full name of the person","maxLength":200},
           "title":{"type":["string","null"],"description":"Job title","maxLength":200},
           "company":{"type":["string","null"],"description":"Company or organisation","maxLength":200},
           "email":{"type":["string","null"],"format":"email","maxLength":254},
           "phone":{"type":["string","null"],"description":"Phone number as written","maxLength":60},
           "website":{"type":["string","null"],"format":"hostname","maxLength":200}}}
        """);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2, 3, 17, 99})
  void aSignatureBlockParsesLikeAModelWouldParseIt(long seed) throws Exception {
    JsonNode v = SchemaInstanceGenerator.generate(contactSchema(), seed, SIGNATURE);
    assertThat(validate(contactSchema(), v)).isEmpty();
    assertThat(v.get("name").asText()).isEqualTo("Dana Reyes");
    assertThat(v.get("title").asText()).isEqualTo("VP of Sales");
    assertThat(v.get("company").asText()).isEqualTo("Northwind Logistics");
    assertThat(v.get("email").asText()).isEqualTo("dana.reyes@northwind-logistics.com");
    assertThat(v.get("phone").asText()).isEqualTo("+1 312 555 0142");
    assertThat(v.get("website").asText()).isEqualTo("northwind-logistics.com");
  }

  @Test
  void nullableFieldsWhoseKindIsAbsentAreNull() throws Exception {
    JsonNode v = SchemaInstanceGenerator.generate(contactSchema(), 5, "Met Ana Souza at the expo, she wants a follow-up call.");
    assertThat(validate(contactSchema(), v)).isEmpty();
    assertThat(v.get("email").isNull()).isTrue();
    assertThat(v.get("phone").isNull()).isTrue();
    assertThat(v.get("website").isNull()).isTrue();
    assertThat(v.get("name").asText()).isEqualTo("Ana Souza");
    JsonNode n = M.readTree("{\"type\":\"object\",\"required\":[\"n\",\"m\"],\"properties\":{\"n\":{\"type\":[\"integer\",\"null\"]},"
        + "\"m\":{\"anyOf\":[{\"type\":\"string\",\"format\":\"email\"},{\"type\":\"null\"}]}}}");
    JsonNode w = SchemaInstanceGenerator.generate(n, 1, "no figures here at all");
    assertThat(w.get("n").isNull()).isTrue();
    assertThat(w.get("m").isNull()).isTrue();
    JsonNode x = SchemaInstanceGenerator.generate(n, 1, "we have 40 sites, write to ops@acme.io");
    assertThat(x.get("n").isIntegralNumber()).isTrue();
    assertThat(x.get("m").asText()).isEqualTo("ops@acme.io");
  }

  @Test
  void propertyNamesSayWhatAValueIsWhenThereIsNoFormat() throws Exception {
    JsonNode schema = M.readTree("{\"type\":\"object\",\"required\":[\"contact_email\",\"phone_number\",\"website_url\"],"
        + "\"properties\":{\"contact_email\":{\"type\":\"string\"},\"phone_number\":{\"type\":\"string\"},\"website_url\":{\"type\":\"string\"}}}");
    JsonNode v = SchemaInstanceGenerator.generate(schema, 4, "Call (415) 555-0199 or see https://brightpath.io/pricing, mail m.chen@brightpath.io.");
    assertThat(v.get("contact_email").asText()).isEqualTo("m.chen@brightpath.io");
    assertThat(v.get("phone_number").asText()).isEqualTo("(415) 555-0199");
    assertThat(v.get("website_url").asText()).isEqualTo("https://brightpath.io/pricing");
  }

  @Test
  void patternsAreFoundInTheTextOrGenerated() throws Exception {
    JsonNode phone = M.readTree("{\"type\":\"string\",\"pattern\":\"^\\\\+?[0-9][0-9 ()-]{6,}[0-9]$\"}");
    assertThat(SchemaInstanceGenerator.generate(phone, 1, SIGNATURE).asText()).isEqualTo("+1 312 555 0142");
    JsonNode code = M.readTree("{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}-\\\\d{4}$\"}");
    for (long seed = 0; seed < 20; seed++) {
      String v = SchemaInstanceGenerator.generate(code, seed, SIGNATURE).asText();
      assertThat(v).matches("[A-Z]{3}-\\d{4}");
    }
    assertThat(SchemaInstanceGenerator.generate(code, 0, "ticket ABC-1234 is open").asText()).isEqualTo("ABC-1234");
    JsonNode alt = M.readTree("{\"type\":\"string\",\"pattern\":\"^(yes|no)(, because [a-z]+)?$\"}");
    for (long seed = 0; seed < 20; seed++) {
      assertThat(SchemaInstanceGenerator.generate(alt, seed, "").asText()).matches("(yes|no)(, because [a-z]+)?");
    }
    JsonNode nullable = M.readTree("{\"type\":[\"string\",\"null\"],\"pattern\":\"^INV-\\\\d+$\"}");
    assertThat(SchemaInstanceGenerator.generate(nullable, 0, "no invoice number").isNull()).isTrue();
  }

  @Test
  void proseFieldsAreWholeSentencesOfThePrompt() throws Exception {
    JsonNode schema = M.readTree("{\"type\":\"object\",\"required\":[\"summary\",\"reasons\"],\"properties\":{"
        + "\"summary\":{\"type\":\"string\",\"maxLength\":800},"
        + "\"reasons\":{\"type\":\"array\",\"minItems\":2,\"items\":{\"type\":\"string\"}}}}");
    for (long seed = 0; seed < 10; seed++) {
      JsonNode v = SchemaInstanceGenerator.generate(schema, seed, SOURCE);
      String summary = v.get("summary").asText();
      assertThat(SOURCE).contains(summary);
      // a summary is a paragraph: one to three consecutive whole sentences of one line
      assertThat(summary).isIn("Marco Bianchi, CTO at Finch Robotics (marco@finch-robotics.com).",
          "They run 40 warehouses, want fewer picking errors and asked for pricing next quarter.", "budget approved in March.",
          "Marco Bianchi, CTO at Finch Robotics (marco@finch-robotics.com). "
              + "They run 40 warehouses, want fewer picking errors and asked for pricing next quarter.");
      for (JsonNode reason : v.get("reasons")) {
        assertThat(reason.asText()).isIn("Marco Bianchi, CTO at Finch Robotics (marco@finch-robotics.com).",
            "They run 40 warehouses, want fewer picking errors and asked for pricing next quarter.", "budget approved in March.");
      }
      assertThat(v.get("reasons").get(0)).isNotEqualTo(v.get("reasons").get(1));
    }
  }

  @Test
  void paragraphsWhenLongSentencesRunOutStillValid() throws Exception {
    JsonNode schema = M.readTree("{\"type\":\"object\",\"required\":[\"bodies\",\"summary\"],\"properties\":{"
        + "\"bodies\":{\"type\":\"array\",\"minItems\":4,\"items\":{\"type\":\"string\",\"description\":\"email body\",\"maxLength\":1500}},"
        + "\"summary\":{\"type\":\"string\",\"maxLength\":800}}}");
    for (String text : List.of("We run 40 warehouses in Spain. Ok. Fine.", "Ok.", "", "a\nb\nc", "One two three four. Five six seven eight.\nNine.")) {
      for (long seed = 0; seed < 20; seed++) {
        JsonNode v = SchemaInstanceGenerator.generateStrict(schema, seed, text, text);
        assertThat(validate(schema, v)).as("%s %s", text, v).isEmpty();
      }
    }
  }

  @Test
  void arraysWithoutMinItemsHaveZeroToThreeItems() throws Exception {
    JsonNode schema = M.readTree("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
    Set<Integer> sizes = new HashSet<>();
    for (long seed = 0; seed < 60; seed++) {
      int n = SchemaInstanceGenerator.generate(schema, seed, SOURCE).size();
      assertThat(n).isBetween(0, 3);
      sizes.add(n);
      assertThat(SchemaInstanceGenerator.generate(schema, seed, SOURCE).size()).isEqualTo(n);
    }
    assertThat(sizes).containsExactlyInAnyOrder(0, 1, 2, 3);
  }
}
