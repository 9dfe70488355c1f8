package dev.salesagent.router.wire;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * Parses how long a provider asks us to wait: {@code retry-after-ms} (milliseconds, preferred, as the Stainless SDKs
 * do), then {@code retry-after} as seconds (integer or decimal) or as an HTTP-date. Returns {@code null} when absent
 * or unparsable; never negative.
 */
public final class RetryAfter {
  private RetryAfter() {}

  /** @param header looks a header up by lower-case name, {@code null} when absent */
  public static Duration from(Function<String, String> header) {
    return from(header, Instant.now());
  }

  public static Duration from(Function<String, String> header, Instant now) {
    Duration ms = parseMillis(header.apply("retry-after-ms"));
    if (ms != null) return ms;
    return parse(header.apply("retry-after"), now);
  }

  /** A {@code retry-after-ms} value. */
  public static Duration parseMillis(String v) {
    if (v == null) return null;
    try {
      double d = Double.parseDouble(v.trim());
      if (Double.isNaN(d) || Double.isInfinite(d)) return null;
      return Duration.ofMillis(Math.max(0, Math.round(d)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A {@code retry-after} value: delta seconds or an HTTP-date. */
  public static Duration parse(String v, Instant now) {
    if (v == null) return null;
    String s = v.trim();
    if (s.isEmpty()) return null;
    char c = s.charAt(0);
    if (c >= '0' && c <= '9' || c == '.') {
      try {
        double secs = Double.parseDouble(s);
        if (Double.isNaN(secs) || Double.isInfinite(secs)) return null;
        return Duration.ofMillis(Math.max(0, Math.round(secs * 1000)));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try {
      Instant at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
