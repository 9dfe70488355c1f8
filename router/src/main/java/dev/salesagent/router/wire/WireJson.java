package dev.salesagent.router.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** The one Jackson mapper of the wire layer and small null-safe tree helpers. */
public final class WireJson {
  private WireJson() {}

  public static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, false);

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Parses UTF-8 JSON bytes; {@code null} when they are not JSON. */
  public static JsonNode parse(byte[] b, int off, int len) {
    try {
      return MAPPER.readTree(b, off, len);
    } catch (IOException e) {
      return null;
    }
  }

  /** A streaming parser over UTF-8 bytes (with the mapper as codec, so {@code readValueAsTree} works). */
  public static com.fasterxml.jackson.core.JsonParser parser(byte[] b, int off, int len) throws IOException {
    return MAPPER.createParser(b, off, len);
  }

  public static JsonNode parse(Buffer b) {
    byte[] bytes = b.getBytes();
    return parse(bytes, 0, bytes.length);
  }

  public static JsonNode parse(String s) {
    try {
      return MAPPER.readTree(s);
    } catch (IOException e) {
      return null;
    }
  }

  public static Buffer toBuffer(JsonNode n) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(n));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise request", e);
    }
  }

  /** Text of a field that is a JSON string; {@code null} when missing, null or not a string. */
  public static String text(JsonNode n, String field) {
    if (n == null) return null;
    JsonNode v = n.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  /** Integer value of a numeric field; {@code null} when missing, null or not a number. */
  public static Integer integer(JsonNode n, String field) {
    if (n == null) return null;
    JsonNode v = n.get(field);
    return v != null && v.isNumber() ? v.intValue() : null;
  }

  /** A field that is an object or array (not null); {@code null} otherwise. */
  public static JsonNode node(JsonNode n, String field) {
    if (n == null) return null;
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.isMissingNode() ? null : v;
  }

  /** Compact JSON text of a node. */
  public static String write(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
