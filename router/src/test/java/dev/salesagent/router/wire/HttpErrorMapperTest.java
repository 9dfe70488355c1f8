package dev.salesagent.router.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class HttpErrorMapperTest {
  private static final MultiMap NONE = MultiMap.caseInsensitiveMultiMap();

  private static WireFailure http(int status, String body) {
    return HttpErrorMapper.fromHttp(status, NONE, body);
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
  void overloadSignalsOn429() {
    WireFailure f = http(429, "{\"message\":\"We're experiencing high traffic right now!\",\"type\":\"too_many_requests_error\",\"param\":\"queue\",\"code\":\"queue_exceeded\"}");
    assertThat(f.kind()).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(f.providerErrorType()).isEqualTo("too_many_requests_error");
    WireFailure plain = http(429, "{\"message\":\"Requests per minute limit exceeded\",\"type\":\"too_many_requests_error\",\"param\":\"quota\",\"code\":\"request_quota_exceeded\"}");
    assertThat(plain.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
  }

  @Test
  void outOfCreditIsAuthentication() {
    assertThat(http(429, "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}").kind())
        .isEqualTo(ErrorKind.AUTHENTICATION);
  }

  @Test
  void contextLengthAndContentFilter() {
    WireFailure ctx = http(400, "{\"error\":\"prompt too long; exceeded max context length by 12 tokens\"}");
    assertThat(ctx.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(ctx.contextLengthExceeded()).isTrue();
    WireFailure filtered = http(400, "{\"error\":\"request blocked by safety policy\"}");
    assertThat(filtered.kind()).isEqualTo(ErrorKind.CONTENT_FILTERED);
    assertThat(filtered.message()).contains("safety policy");
    assertThat(http(400, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"code\":\"content_filter\"}}").kind())
        .isEqualTo(ErrorKind.CONTENT_FILTERED);
    assertThat(http(503, "{\"error\":\"maximum context length\"}").contextLengthExceeded()).isFalse();
  }

  @Test
  void rateLimitHeadersAndRetryAfter() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap()
        .add("Retry-After", "11").add("anthropic-ratelimit-tokens-remaining", "0")
        .add("x-ratelimit-reset-tokens", "1.146s").add("content-type", "application/json");
    WireFailure f = HttpErrorMapper.fromHttp(429, h, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}");
    assertThat(f.retryAfter()).hasSeconds(11);
    assertThat(f.rateLimitHeaders()).containsOnlyKeys("retry-after", "anthropic-ratelimit-tokens-remaining", "x-ratelimit-reset-tokens");
  }

  @Test
  void inStreamTypes() {
    assertThat(HttpErrorMapper.fromPayload(Json.parse("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")).kind())
        .isEqualTo(ErrorKind.OVERLOADED);
    assertThat(HttpErrorMapper.fromPayload(Json.parse("{\"type\":\"error\",\"error\":{\"type\":\"api_error\"}}")).kind())
        .isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(HttpErrorMapper.fromPayload(Json.parse("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\"}}")).kind())
        .isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(HttpErrorMapper.fromPayload(Json.parse("{\"error\":\"an error was encountered while running the model\"}")).kind())
        .isEqualTo(ErrorKind.UPSTREAM_ERROR);
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
