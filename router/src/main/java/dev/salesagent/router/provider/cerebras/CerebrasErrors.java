package dev.salesagent.router.provider.cerebras;

import static dev.salesagent.router.error.ErrorSign.CONTEXT_LENGTH;
import static dev.salesagent.router.error.ErrorSign.OVERLOADED;
import static dev.salesagent.router.error.ErrorSign.RATE_LIMITED;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.error.ErrorDialect;

/**
 * Cerebras' errors (shared/research/wire-protocols.md §5.6): a flat object, {@code {"message","type","param","code"}}
 * with no {@code error} wrapper, as a body or a stream event. Its overload is a 429:
 * {@code too_many_requests_error} with param {@code queue} / code {@code queue_exceeded} ("high traffic"), which is
 * {@code overloaded}; its quotas ({@code too_many_tokens_error}, {@code token_quota_exceeded}, …) are rate limits.
 */
public final class CerebrasErrors {
  private CerebrasErrors() {}

  public static final ErrorDialect DIALECT = ErrorDialect.builder()
      .objectShape(CerebrasErrors::flatObject)
      .ids(CONTEXT_LENGTH, "context_window_exceeded")
      .ids(OVERLOADED, "queue_exceeded")
      .rule(OVERLOADED, e -> "too_many_requests_error".equals(ErrorDialect.lower(e.type()))
          && "queue".equals(ErrorDialect.lower(e.param())))
      .texts(OVERLOADED, "high traffic")
      .ids(RATE_LIMITED, "too_many_tokens_error", "too_many_requests_error", "token_quota_exceeded", "request_quota_exceeded")
      .build();

  /** The payload itself, when it has no {@code error} object or text (those are the other providers' shapes). */
  private static JsonNode flatObject(JsonNode payload) {
    JsonNode e = payload.get("error");
    return e == null || !(e.isObject() || e.isTextual()) ? payload : null;
  }
}
