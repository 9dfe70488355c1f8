package dev.salesagent.router.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.error.ErrorKind.Health;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The consequences each kind carries, as docs/ARCHITECTURE.md "Errors" states them. */
class ErrorKindTest {

  @Test
  void providerFaultsCountAgainstTheCircuitCallerFaultsDoNot() {
    Set<ErrorKind> circuit = EnumSet.noneOf(ErrorKind.class);
    for (ErrorKind k : ErrorKind.values()) if (k.circuitFailure()) circuit.add(k);
    assertThat(circuit).containsExactlyInAnyOrder(ErrorKind.RATE_LIMITED, ErrorKind.OVERLOADED, ErrorKind.TIMEOUT,
        ErrorKind.INTERRUPTED, ErrorKind.UNAVAILABLE, ErrorKind.UPSTREAM_ERROR, ErrorKind.AUTHENTICATION, ErrorKind.NOT_FOUND);
  }

  @Test
  void rateLimitsAndMissingModelsSayNothingAboutHealth() {
    assertThat(ErrorKind.RATE_LIMITED.health()).isEqualTo(Health.UNTOUCHED);
    assertThat(ErrorKind.NOT_FOUND.health()).isEqualTo(Health.UNTOUCHED);
    for (ErrorKind k : EnumSet.of(ErrorKind.OVERLOADED, ErrorKind.TIMEOUT, ErrorKind.INTERRUPTED, ErrorKind.UNAVAILABLE,
        ErrorKind.UPSTREAM_ERROR, ErrorKind.AUTHENTICATION)) {
      assertThat(k.health()).as(k.wire()).isEqualTo(Health.FAILURE);
    }
    for (ErrorKind k : EnumSet.of(ErrorKind.INVALID_REQUEST, ErrorKind.CONTENT_FILTERED)) {
      assertThat(k.health()).as("the provider answered properly: " + k.wire()).isEqualTo(Health.SUCCESS);
    }
  }

  @Test
  void onlyAuthenticationMarksTheProviderMisconfigured() {
    for (ErrorKind k : ErrorKind.values()) assertThat(k.marksMisconfigured()).as(k.wire()).isEqualTo(k == ErrorKind.AUTHENTICATION);
  }

  @Test
  void retryAndFallbackFollowTheTaxonomy() {
    assertThat(ErrorKind.TIMEOUT.retryable()).as("failed over, not retried").isFalse();
    assertThat(ErrorKind.TIMEOUT.fallbackable()).isTrue();
    assertThat(ErrorKind.AUTHENTICATION.retryable()).isFalse();
    assertThat(ErrorKind.AUTHENTICATION.fallbackable()).isTrue();
    assertThat(ErrorKind.INVALID_REQUEST.fallbackable()).isFalse();
    assertThat(LlmException.builder(ErrorKind.INVALID_REQUEST, "too long").contextLengthExceeded(true).build().fallbackable())
        .as("context length is the one invalid request that falls back").isTrue();
    assertThat(ErrorKind.CONTENT_FILTERED.fallbackable()).isFalse();
    for (ErrorKind k : EnumSet.of(ErrorKind.RATE_LIMITED, ErrorKind.OVERLOADED, ErrorKind.INTERRUPTED, ErrorKind.UNAVAILABLE,
        ErrorKind.UPSTREAM_ERROR)) {
      assertThat(k.retryable()).as(k.wire()).isTrue();
    }
  }
}
