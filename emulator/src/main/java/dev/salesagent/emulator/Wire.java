package dev.salesagent.emulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Small JSON/bytes helpers for hand-written, byte-exact wire bodies. */
final class Wire {
  private Wire() {}

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonStringEncoder ENC = JsonStringEncoder.getInstance();

  /** Appends {@code s} as a JSON string literal (with quotes), or null. */
  static StringBuilder q(StringBuilder sb, String s) {
    if (s == null) return sb.append("null");
    sb.append('"');
    ENC.quoteAsString(s, sb);
    return sb.append('"');
  }

  static String q(String s) {
    return q(new StringBuilder(s == null ? 4 : s.length() + 8), s).toString();
  }

  static String compact(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Buffer buf(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
  }

  static Buffer buf(StringBuilder s) {
    return buf(s.toString());
  }

  static String rfc3339(long epochMillis) {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC).withNano(0));
  }

  private record SecondPrefix(long epochSecond, String text) {}

  private static volatile SecondPrefix secondPrefix = new SecondPrefix(Long.MIN_VALUE, "");

  /** Ollama-style created_at with nanoseconds ({@code 2026-11-23T14:05:40.100000000Z}); the date part is cached per second. */
  static String nowNanos() {
    Instant i = Instant.now();
    SecondPrefix p = secondPrefix;
    if (p.epochSecond() != i.getEpochSecond()) {
      p = new SecondPrefix(i.getEpochSecond(),
          DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(i.atOffset(ZoneOffset.UTC).withNano(0)) + ".");
      secondPrefix = p;
    }
    StringBuilder sb = new StringBuilder(30).append(p.text());
    String nanos = Integer.toString(i.getNano());
    for (int k = nanos.length(); k < 9; k++) sb.append('0');
    return sb.append(nanos).append('Z').toString();
  }

  static String pad(long n, int width) {
    String s = Long.toString(n);
    if (s.length() >= width) return s;
    return "0".repeat(width - s.length()) + s;
  }
}
