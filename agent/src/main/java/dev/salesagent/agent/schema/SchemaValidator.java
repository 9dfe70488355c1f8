package dev.salesagent.agent.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a JSON value against the schema subset {@link SchemaDeriver} produces: {@code type} (one or a list),
 * {@code properties}, {@code required}, {@code additionalProperties: false}, {@code items}, {@code enum},
 * {@code minimum}/{@code maximum}, {@code minLength}/{@code maxLength}, {@code minItems}/{@code maxItems}. Every
 * violation is reported with its JSON path, in words a model can act on in a repair prompt.
 */
public final class SchemaValidator {
  private SchemaValidator() {}

  public static List<String> validate(JsonNode schema, JsonNode value) {
    List<String> errors = new ArrayList<>();
    check(schema, value, "$", errors);
    return errors;
  }

  private static void check(JsonNode s, JsonNode v, String path, List<String> errors) {
    if (errors.size() > 50) return;
    JsonNode type = s.get("type");
    if (type != null) {
      boolean ok = false;
      if (type.isArray()) {
        for (JsonNode t : type) ok |= isType(t.asText(), v);
      } else {
        ok = isType(type.asText(), v);
      }
      if (!ok) {
        errors.add(path + ": expected " + (type.isArray() ? join(type) : type.asText()) + " but got " + describe(v));
        return;
      }
    }
    if (v == null || v.isNull()) return;
    JsonNode en = s.get("enum");
    if (en != null) {
      boolean found = false;
      for (JsonNode e : en) found |= e.equals(v);
      if (!found) errors.add(path + ": " + v + " is not one of " + join(en));
    }
    if (v.isNumber()) {
      if (s.has("minimum") && v.asDouble() < s.get("minimum").asDouble()) {
        errors.add(path + ": " + v + " is below the minimum " + s.get("minimum"));
      }
      if (s.has("maximum") && v.asDouble() > s.get("maximum").asDouble()) {
        errors.add(path + ": " + v + " is above the maximum " + s.get("maximum"));
      }
    }
    if (v.isTextual()) {
      int len = v.asText().codePointCount(0, v.asText().length());
      if (s.has("minLength") && len < s.get("minLength").asInt()) {
        errors.add(path + ": text is shorter than " + s.get("minLength") + " characters");
      }
      if (s.has("maxLength") && len > s.get("maxLength").asInt()) {
        errors.add(path + ": text is longer than " + s.get("maxLength") + " characters (" + len + ")");
      }
    }
    if (v.isArray()) {
      if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
        errors.add(path + ": needs at least " + s.get("minItems") + " items, got " + v.size());
      }
      if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
        errors.add(path + ": allows at most " + s.get("maxItems") + " items, got " + v.size());
      }
      JsonNode items = s.get("items");
      if (items != null) {
        for (int i = 0; i < v.size(); i++) check(items, v.get(i), path + "[" + i + "]", errors);
      }
    }
    if (v.isObject()) {
      JsonNode props = s.get("properties");
      Set<String> known = new HashSet<>();
      if (props != null) props.fieldNames().forEachRemaining(known::add);
      JsonNode req = s.get("required");
      if (req != null) {
        for (JsonNode r : req) {
          if (!v.has(r.asText())) errors.add(path + ": missing required property '" + r.asText() + "'");
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        var e = it.next();
        if (props != null && props.has(e.getKey())) {
          check(props.get(e.getKey()), e.getValue(), path + "." + e.getKey(), errors);
        } else if (s.path("additionalProperties").isBoolean() && !s.get("additionalProperties").asBoolean()) {
          errors.add(path + ": unexpected property '" + e.getKey() + "' (allowed: " + String.join(", ", known) + ")");
        }
      }
    }
  }

  private static boolean isType(String t, JsonNode v) {
    return switch (t) {
      case "null" -> v == null || v.isNull();
      case "string" -> v != null && v.isTextual();
      case "integer" -> v != null && (v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble())));
      case "number" -> v != null && v.isNumber();
      case "boolean" -> v != null && v.isBoolean();
      case "array" -> v != null && v.isArray();
      case "object" -> v != null && v.isObject();
      default -> false;
    };
  }

  private static String describe(JsonNode v) {
    if (v == null || v.isNull()) return "null";
    if (v.isTextual()) return "a string";
    if (v.isNumber()) return "the number " + v;
    if (v.isBoolean()) return "a boolean";
    if (v.isArray()) return "an array";
    return "an object";
  }

  private static String join(JsonNode arr) {
    List<String> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.isTextual() ? "\"" + n.asText() + "\"" : n.toString()));
    return "[" + String.join(", ", out) + "]";
  }
}
