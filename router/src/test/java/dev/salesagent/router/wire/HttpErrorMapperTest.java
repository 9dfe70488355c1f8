package dev.salesagent.router.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/**
 * Status and transport mapping, with no provider's vocabulary at all ({@link ErrorDialect#NONE}): what each provider's
 * error names mean is tested in its folder ({@code AnthropicErrorsTest}, {@code CerebrasErrorsTest}, …).
 */
class HttpErrorMapperTest {
  private static final MultiMap NONE = MultiMap.caseInsensitiveMultiMap();
  private static final ErrorMapper PLAIN = new ErrorMapper(ErrorDialect.NONE);

  private static WireFailure http(int status, String body) {
    return PLAIN.fromHttp(status, NONE, body);
  }

  @Test
  void statusKinds() {
    assertThat(http(401, "{}").kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(http(402, "{}").kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(http(403, "{}").kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(http(404, "{}").kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(http(400, "{}").kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(http(413, "").kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(http(422, "{}").kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(http(429, "{}").kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(http(503, "{}").kind()).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(http(529, "{}").kind()).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(http(500, "<html>oops</html>").kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(http(502, "{}").kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
  }

  @Test
  void statusRefinedBySigns() {
    assertThat(HttpErrorMapper.kindForStatus(429, true, false)).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(HttpErrorMapper.kindForStatus(429, false, true)).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(HttpErrorMapper.kindForStatus(500, true, false)).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(HttpErrorMapper.kindForStatus(400, true, true)).isEqualTo(ErrorKind.INVALID_REQUEST);
  }

  @Test
  void retryAfterWithoutProviderHeaders() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("Retry-After", "11").add("x-ratelimit-reset-tokens", "1.146s");
    WireFailure f = PLAIN.fromHttp(429, h, "{}");
    assertThat(f.retryAfter()).hasSeconds(11);
    assertThat(f.rateLimitHeaders()).containsOnlyKeys("retry-after");
  }

  @Test
  void transport() {
    assertThat(HttpErrorMapper.fromTransport(new ConnectException("Connection refused"), false).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(HttpErrorMapper.fromTransport(new HttpClosedException("closed"), false).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(HttpErrorMapper.fromTransport(new HttpClosedException("closed"), true).kind()).isEqualTo(ErrorKind.INTERRUPTED);
  }

  @Test
  void exceptionCarriesContextAndNoKey() {
    WireFailure f = http(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-abcdef1234567890\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
    LlmException e = f.toException("deepseek", "deepseek-flash", "req-1", Usage.UNKNOWN, null);
    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(e.provider()).isEqualTo("deepseek");
    assertThat(e.model()).isEqualTo("deepseek-flash");
    assertThat(e.requestId()).isEqualTo("req-1");
    assertThat(e.httpStatus()).isEqualTo(401);
    assertThat(e.getMessage()).doesNotContain("sk-abcdef1234567890");
  }
}
