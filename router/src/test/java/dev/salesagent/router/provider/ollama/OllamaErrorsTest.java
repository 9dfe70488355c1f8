package dev.salesagent.router.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.provider.FixtureSupport;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.router.wire.WireFailure;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** Ollama's text-only errors (moved from HttpErrorMapperTest). */
class OllamaErrorsTest {
  private static WireFailure http(int status, String body) {
    return FixtureSupport.ERRORS.fromHttp(status, MultiMap.caseInsensitiveMultiMap(), body);
  }

  @Test
  void contextLengthAndContentFilter() {
    WireFailure ctx = http(400, "{\"error\":\"prompt too long; exceeded max context length by 12 tokens\"}");
    assertThat(ctx.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(ctx.contextLengthExceeded()).isTrue();
    WireFailure filtered = http(400, "{\"error\":\"request blocked by safety policy\"}");
    assertThat(filtered.kind()).isEqualTo(ErrorKind.CONTENT_FILTERED);
    assertThat(filtered.message()).contains("safety policy");
    assertThat(http(503, "{\"error\":\"maximum context length\"}").contextLengthExceeded()).isFalse();
  }

  @Test
  void runnerErrorInAnAnswerIsUpstreamError() {
    assertThat(FixtureSupport.ERRORS.fromPayload(WireJson.parse("{\"error\":\"an error was encountered while running the model\"}")).kind())
        .isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(FixtureSupport.ERRORS.fromPayload(WireJson.parse("{\"error\":\"model 'x' not found, try pulling it first\"}")).kind())
        .isEqualTo(ErrorKind.NOT_FOUND);
  }
}
