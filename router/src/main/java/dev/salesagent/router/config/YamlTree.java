package dev.salesagent.router.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML document as a small tree that remembers where every value came from (file and line), for error messages. */
final class YamlTree {
  private YamlTree() {}

  /** A node: a map (ordered), a list or a scalar (String, Number, Boolean or null). */
  static final class Node {
    final Object value;
    final String source;
    final int line;

    Node(Object value, String source, int line) {
      this.value = value;
      this.source = source;
      this.line = line;
    }

    boolean isMap() { return value instanceof Map; }

    boolean isList() { return value instanceof List; }

    @SuppressWarnings("unchecked")
    Map<String, Node> map() { return (Map<String, Node>) value; }

    @SuppressWarnings("unchecked")
    List<Node> list() { return (List<Node>) value; }

    String where() {
      return source + " line " + line;
    }
  }

  private static final YAMLFactory FACTORY = new YAMLFactory();

  static Node parse(String text, String source) {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) return new Node(new LinkedHashMap<String, Node>(), source, 1);
      Node n = read(p, source);
      return n;
    } catch (ConfigException e) {
      throw e;
    } catch (IOException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
      int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null
          ? jpe.getLocation().getLineNr() : -1;
      throw new ConfigException(source + (line > 0 ? " line " + line : "") + ": not valid YAML: " + msg, e);
    }
  }

  private static Node read(JsonParser p, String source) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Node> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          p.nextToken();
          Node v = read(p, source);
          if (m.containsKey(key)) throw new ConfigException(source + " line " + keyLine + ": key '" + key + "' appears twice");
          m.put(key, v.line == keyLine ? v : new Node(v.value, source, keyLine));
        }
        return new Node(m, source, line);
      }
      case START_ARRAY -> {
        List<Node> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) l.add(read(p, source));
        return new Node(l, source, line);
      }
      case VALUE_STRING -> { return new Node(p.getText(), source, line); }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> { return new Node(p.getNumberValue(), source, line); }
      case VALUE_TRUE -> { return new Node(Boolean.TRUE, source, line); }
      case VALUE_FALSE -> { return new Node(Boolean.FALSE, source, line); }
      case VALUE_NULL -> { return new Node(null, source, line); }
      default -> throw new ConfigException(source + " line " + line + ": unexpected YAML token " + t);
    }
  }

  /** Deep merge: maps merge key by key (overlay wins), everything else is replaced by the overlay. */
  static Node merge(Node base, Node overlay) {
    if (base == null) return overlay;
    if (overlay == null) return base;
    if (base.isMap() && overlay.isMap()) {
      Map<String, Node> m = new LinkedHashMap<>(base.map());
      for (Map.Entry<String, Node> e : overlay.map().entrySet()) m.put(e.getKey(), merge(m.get(e.getKey()), e.getValue()));
      return new Node(m, overlay.source, overlay.line);
    }
    return overlay;
  }
}
