package dev.salesagent.server.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.salesagent.router.wire.WireJson;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Client request bodies as JSON, strictly: one value and nothing after it but whitespace ({@code {"a":1} xyz} is not
 * a request — a proxy and this server could disagree about what it means). The router's mapper stays lenient for
 * upstream answers.
 */
public final class StrictJson {
  private static final ObjectReader READER = WireJson.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StrictJson() {}

  /** The body's JSON value; {@code null} when it is not exactly one JSON value. */
  public static JsonNode parse(Buffer body) {
    byte[] b = body.getBytes();
    try {
      JsonNode n = READER.readTree(b, 0, b.length);
      return n == null || n.isMissingNode() ? null : n;
    } catch (IOException e) {
      return null;
    }
  }
}
