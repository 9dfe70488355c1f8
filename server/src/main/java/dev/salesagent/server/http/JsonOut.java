package dev.salesagent.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.salesagent.router.wire.WireJson;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Streaming JSON output (Jackson's generator straight to bytes): no tree, no reflection on the hot path. */
public final class JsonOut {
  public static final JsonFactory FACTORY = WireJson.MAPPER.getFactory();

  private JsonOut() {}

  @FunctionalInterface
  public interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  public static Buffer buffer(Writer w) {
    return Buffer.buffer(bytes(w));
  }

  public static byte[] bytes(Writer w) {
    ByteArrayBuilder out = new ByteArrayBuilder(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      w.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Appends {@code s} as JSON string content (without quotes), UTF-8. */
  public static void appendEscaped(Buffer b, String s) {
    b.appendBytes(JsonStringEncoder.getInstance().quoteAsUTF8(s));
  }

  /** Writes plain maps, lists, strings, numbers, booleans and nulls. */
  @SuppressWarnings("unchecked")
  public static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) g.writeNull();
    else if (v instanceof String s) g.writeString(s);
    else if (v instanceof Integer i) g.writeNumber(i);
    else if (v instanceof Long l) g.writeNumber(l);
    else if (v instanceof Double d) g.writeNumber(d);
    else if (v instanceof Number n) g.writeNumber(n.toString());
    else if (v instanceof Boolean b) g.writeBoolean(b);
    else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
        g.writeFieldName(e.getKey());
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) value(g, o);
      g.writeEndArray();
    } else if (v instanceof com.fasterxml.jackson.databind.JsonNode n) {
      WireJson.MAPPER.writeTree(g, n);
    } else g.writeString(v.toString());
  }
}
