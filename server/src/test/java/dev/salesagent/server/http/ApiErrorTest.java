package dev.salesagent.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClosedException;
import org.junit.jupiter.api.Test;

class ApiErrorTest {
  @Test
  void aClientThatHungUpIsNotAnInternalError() {
    ApiError e = ApiError.from(new HttpClosedException("Connection was closed"));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("client_closed");
  }

  @Test
  void anUnmappedFailureIsA500WithAReferenceAndNoInternalText() {
    ApiError e = ApiError.from(new IllegalStateException("SELECT * FROM secrets"));
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.message()).startsWith("internal error (reference ").doesNotContain("SELECT");
  }
}
