package dev.salesagent.router.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.provider.FixtureSupport;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.router.wire.WireFailure;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** Anthropic's errors (moved from HttpErrorMapperTest). */
class AnthropicErrorsTest {

  @Test
  void rateLimitHeadersAndRetryAfter() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap()
        .add("Retry-After", "11").add("anthropic-ratelimit-tokens-remaining", "0")
        .add("x-ratelimit-reset-tokens", "1.146s").add("content-type", "application/json");
    WireFailure f = FixtureSupport.ERRORS.fromHttp(429, h, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}");
    assertThat(f.retryAfter()).hasSeconds(11);
    assertThat(f.rateLimitHeaders()).containsOnlyKeys("retry-after", "anthropic-ratelimit-tokens-remaining", "x-ratelimit-reset-tokens");
  }

  @Test
  void inStreamTypes() {
    assertThat(FixtureSupport.ERRORS.fromPayload(WireJson.parse("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")).kind())
        .isEqualTo(ErrorKind.OVERLOADED);
    assertThat(FixtureSupport.ERRORS.fromPayload(WireJson.parse("{\"type\":\"error\",\"error\":{\"type\":\"api_error\"}}")).kind())
        .isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(FixtureSupport.ERRORS.fromPayload(WireJson.parse("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\"}}")).kind())
        .isEqualTo(ErrorKind.RATE_LIMITED);
  }

  @Test
  void spendCapCodeIsOutOfCredit() {
    WireFailure f = FixtureSupport.ERRORS.fromHttp(429, null,
        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"cap\",\"details\":{\"error_code\":\"enforced_spend_limit_reached\"}}}");
    assertThat(f.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
  }
}
