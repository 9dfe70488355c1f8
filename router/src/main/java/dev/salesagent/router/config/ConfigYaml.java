package dev.salesagent.router.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.salesagent.router.config.ConfigFile.At;
import dev.salesagent.router.config.ConfigFile.Val;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads configuration layers with Jackson into {@link ConfigFile} records, keeping each value's file and line, and
 * turns Jackson's complaints into messages that name the key, the file and line, and what to write.
 */
final class ConfigYaml {
  private ConfigYaml() {}

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final ObjectReader READER = JsonMapper.builder(FACTORY)
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .addModule(ConfigLocations.module())
      .build()
      .readerFor(ConfigFile.class);

  /** One layer; an empty document is an empty layer. */
  static ConfigFile read(String text, String source) {
    try (JsonParser p = new ConfigLocations.KeyLines(FACTORY.createParser(text))) {
      if (p.nextToken() == null) return ConfigFile.EMPTY;
      ConfigFile f = READER.withAttribute(ConfigLocations.SOURCE, source).readValue(p);
      return f == null ? ConfigFile.EMPTY : f;
    } catch (UnrecognizedPropertyException e) {
      List<String> path = path(e);
      String in = path.size() <= 1 ? "the configuration" : String.join(".", path.subList(0, path.size() - 1));
      TreeSet<String> allowed = new TreeSet<>();
      for (Object k : e.getKnownPropertyIds()) allowed.add(String.valueOf(k));
      int line = keyLine(text, path);
      String where = line > 0 ? source + " line " + line : where(source, e);
      throw new ConfigException(where + ": unknown key '" + e.getPropertyName() + "' in " + in
          + " (allowed: " + String.join(", ", allowed) + ")", e);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonParseException pe) throw parseError(source, pe);
      List<String> path = path(e);
      if (path.isEmpty()) throw new ConfigException(where(source, e) + ": the configuration must be a mapping of keys", e);
      throw new ConfigException(where(source, e) + ": " + String.join(".", path) + " must be " + expected(e, path.get(path.size() - 1)), e);
    } catch (JsonProcessingException e) {
      throw parseError(source, e);
    } catch (IOException e) {
      throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static ConfigException parseError(String source, JsonProcessingException e) {
    String msg = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage().split("\n")[0];
    Matcher dup = DUPLICATE.matcher(msg);
    if (dup.find()) return new ConfigException(where(source, e) + ": key '" + dup.group(1) + "' appears twice", e);
    return new ConfigException(where(source, e) + ": not valid YAML: " + msg, e);
  }

  /** The file and line: of the token being read when it failed (Jackson's own location is past it). */
  private static String where(String source, JsonProcessingException e) {
    JsonLocation at = e.getProcessor() instanceof JsonParser p && p.currentTokenLocation() != null ? p.currentTokenLocation() : e.getLocation();
    int line = at == null ? -1 : at.getLineNr();
    return source + (line > 0 ? " line " + line : "");
  }

  /**
   * The line of the key at {@code path}: Jackson reports an unknown key of a record only once the record is read (it
   * buffers them for the constructor), so its place is looked up again in the text.
   */
  private static int keyLine(String text, List<String> path) {
    try (JsonParser p = FACTORY.createParser(text)) {
      return p.nextToken() == JsonToken.START_OBJECT ? keyLine(p, path, 0) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static int keyLine(JsonParser p, List<String> path, int depth) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      int line = p.currentTokenLocation().getLineNr();
      JsonToken v = p.nextToken();
      if (name.equals(path.get(depth))) {
        if (depth == path.size() - 1) return line;
        return v == JsonToken.START_OBJECT ? keyLine(p, path, depth + 1) : -1;
      }
      p.skipChildren();
    }
    return -1;
  }

  private static List<String> path(JsonMappingException e) {
    List<String> out = new ArrayList<>();
    for (JsonMappingException.Reference r : e.getPath()) if (r.getFieldName() != null) out.add(r.getFieldName());
    return out;
  }

  private static String expected(JsonMappingException e, String key) {
    Class<?> t = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    if (t == Val.class) return "a single value";
    if (t != null && List.class.isAssignableFrom(t)) {
      return switch (key) {
        case "chain" -> "a non-empty list of <provider>/<model>";
        case "capabilities" -> "a list such as [json, tools, vision, continuation]";
        case "keywords" -> "a list of phrases such as [\"lead score\", bant]";
        default -> "a list";
      };
    }
    return "a mapping of keys";
  }

  // ---------------------------------------------------------------- merging

  /**
   * {@code over} on top of {@code base}: mappings merge key by key (the later layer wins), a value, a list or a key
   * given without a value replaces what is below.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T> T merge(T base, T over) {
    if (over == null) return base;
    if (base == null) return over;
    if (over instanceof Val) return over;
    if (over instanceof At a) {
      if (a.value() == null) return over;
      return (T) new At<>(merge(((At) base).value(), a.value()), a.source(), a.line());
    }
    if (over instanceof Map om) {
      Map<Object, Object> m = new LinkedHashMap<>((Map<Object, Object>) base);
      om.forEach((k, v) -> m.put(k, merge(m.get(k), v)));
      return (T) m;
    }
    if (over instanceof Record) return mergeRecord(base, over);
    return over; // a list
  }

  @SuppressWarnings("unchecked")
  private static <T> T mergeRecord(T base, T over) {
    try {
      RecordComponent[] cs = over.getClass().getRecordComponents();
      Object[] args = new Object[cs.length];
      Class<?>[] types = new Class<?>[cs.length];
      for (int i = 0; i < cs.length; i++) {
        types[i] = cs[i].getType();
        args[i] = merge(cs[i].getAccessor().invoke(base), cs[i].getAccessor().invoke(over));
      }
      var ctor = over.getClass().getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return (T) ctor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot merge " + over.getClass().getSimpleName(), e);
    }
  }
}
