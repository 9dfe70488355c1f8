package dev.salesagent.router.provider.cerebras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.provider.FixtureSupport;
import dev.salesagent.router.wire.WireFailure;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** Cerebras' flat errors and its overload-as-429 (moved from HttpErrorMapperTest). */
class CerebrasErrorsTest {
  private static WireFailure http(int status, String body) {
    return FixtureSupport.ERRORS.fromHttp(status, MultiMap.caseInsensitiveMultiMap(), body);
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
  void onlyCerebrasKnowsItsNames() {
    var body = FixtureSupport.ERRORS.parseBody("{\"message\":\"m\",\"type\":\"too_many_requests_error\",\"param\":\"queue\",\"code\":\"queue_exceeded\"}");
    assertThat(CerebrasErrors.DIALECT.signs(body)).isNotEmpty();
    assertThat(dev.salesagent.router.provider.openai.OpenAiErrors.DIALECT.signs(body)).isEmpty();
  }
}
