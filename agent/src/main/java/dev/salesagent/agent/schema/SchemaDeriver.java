package dev.salesagent.agent.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Derives a strict JSON schema (draft 2020-12 subset) from a record type: every component is a required property
 * (nullable ones get {@code [T, "null"]}), {@code additionalProperties: false}, nested records inline (no
 * {@code $ref}, which some providers reject), enums as lower-case names, bounds from {@link Range} and
 * {@link Size}, descriptions from {@link Desc}. This is the shape OpenAI strict mode, Anthropic tool input schemas
 * and Ollama {@code format} all accept. Schemas are cached per type and must not be mutated by callers
 * ({@link #schema} returns a deep copy).
 */
public final class SchemaDeriver {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Map<Class<?>, ObjectNode> CACHE = new ConcurrentHashMap<>();

  private SchemaDeriver() {}

  public static ObjectNode schema(Class<? extends Record> type) {
    return CACHE.computeIfAbsent(type, t -> recordSchema(t, 0)).deepCopy();
  }

  private static ObjectNode recordSchema(Class<?> type, int depth) {
    if (depth > 6) throw new IllegalArgumentException("record nesting too deep at " + type.getName());
    ObjectNode n = F.objectNode();
    n.put("type", "object");
    Desc d = type.getAnnotation(Desc.class);
    if (d != null) n.put("description", d.value());
    ObjectNode props = n.putObject("properties");
    ArrayNode required = n.putArray("required");
    for (RecordComponent c : type.getRecordComponents()) {
      String name = AgentJson.snake(c.getName());
      ObjectNode p = typeSchema(c.getGenericType(), depth);
      apply(p, c.getAnnotation(Range.class), c.getAnnotation(Size.class));
      Desc cd = c.getAnnotation(Desc.class);
      if (cd != null) p.put("description", cd.value());
      Format fm = c.getAnnotation(Format.class);
      if (fm != null) p.put("format", fm.value());
      if (c.isAnnotationPresent(Nullable.class)) makeNullable(p);
      props.set(name, p);
      required.add(name);
    }
    n.put("additionalProperties", false);
    return n;
  }

  private static void makeNullable(ObjectNode p) {
    if (p.has("enum")) {
      ((ArrayNode) p.get("enum")).addNull();
    }
    var t = p.get("type");
    if (t != null && t.isTextual()) {
      ArrayNode types = F.arrayNode().add(t.asText()).add("null");
      p.set("type", types);
    }
  }

  private static void apply(ObjectNode p, Range r, Size s) {
    if (r != null) {
      p.put("minimum", r.min());
      p.put("maximum", r.max());
    }
    if (s != null) {
      String t = p.path("type").asText();
      if (t.equals("array")) {
        p.put("minItems", s.min());
        if (s.max() >= 0) p.put("maxItems", s.max());
      } else {
        p.put("minLength", s.min());
        if (s.max() >= 0) p.put("maxLength", s.max());
      }
    }
  }

  private static ObjectNode typeSchema(Type t, int depth) {
    ObjectNode p = F.objectNode();
    if (t instanceof ParameterizedType pt && pt.getRawType() == List.class) {
      p.put("type", "array");
      p.set("items", typeSchema(pt.getActualTypeArguments()[0], depth + 1));
      return p;
    }
    if (!(t instanceof Class<?> c)) throw new IllegalArgumentException("unsupported component type " + t);
    if (c == String.class) {
      p.put("type", "string");
    } else if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      p.put("type", "integer");
    } else if (c == double.class || c == Double.class) {
      p.put("type", "number");
    } else if (c == boolean.class || c == Boolean.class) {
      p.put("type", "boolean");
    } else if (c.isEnum()) {
      p.put("type", "string");
      ArrayNode e = p.putArray("enum");
      for (Object o : c.getEnumConstants()) e.add(((Enum<?>) o).name().toLowerCase(Locale.ROOT));
    } else if (c.isRecord()) {
      return recordSchema(c, depth + 1);
    } else {
      throw new IllegalArgumentException("unsupported component type " + c.getName());
    }
    return p;
  }
}
