package dev.salesagent.router.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-11-23T14:02:11Z");

  @Test
  void seconds() {
    assertThat(RetryAfter.parse("11", NOW)).isEqualTo(Duration.ofSeconds(11));
    assertThat(RetryAfter.parse("0.5", NOW)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void httpDate() {
    assertThat(RetryAfter.parse("Mon, 23 Nov 2026 14:02:41 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Mon, 23 Nov 2026 14:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void millisWinOverSeconds() {
    Map<String, String> h = Map.of("retry-after-ms", "1500", "retry-after", "9");
    assertThat(RetryAfter.from(h::get, NOW)).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void garbageAndAbsenceAreNull() {
    assertThat(RetryAfter.parse("soon", NOW)).isNull();
    assertThat(RetryAfter.parse(null, NOW)).isNull();
    assertThat(RetryAfter.from(Map.<String, String>of()::get, NOW)).isNull();
    assertThat(RetryAfter.parseMillis("x")).isNull();
  }
}
