package dev.salesagent.router.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.provider.FixtureSupport;
import dev.salesagent.router.wire.WireFailure;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** OpenAI's errors (moved from HttpErrorMapperTest). */
class OpenAiErrorsTest {
  private static WireFailure http(int status, String body) {
    return FixtureSupport.ERRORS.fromHttp(status, MultiMap.caseInsensitiveMultiMap(), body);
  }

  @Test
  void outOfCreditIsAuthentication() {
    assertThat(http(429, "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}").kind())
        .isEqualTo(ErrorKind.AUTHENTICATION);
  }

  @Test
  void contentFilterCode() {
    assertThat(http(400, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"code\":\"content_filter\"}}").kind())
        .isEqualTo(ErrorKind.CONTENT_FILTERED);
  }
}
