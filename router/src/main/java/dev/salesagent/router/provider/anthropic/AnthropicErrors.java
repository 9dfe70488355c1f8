package dev.salesagent.router.provider.anthropic;

import static dev.salesagent.router.error.ErrorSign.AUTHENTICATION;
import static dev.salesagent.router.error.ErrorSign.CONTENT_FILTERED;
import static dev.salesagent.router.error.ErrorSign.CONTEXT_LENGTH;
import static dev.salesagent.router.error.ErrorSign.INVALID_REQUEST;
import static dev.salesagent.router.error.ErrorSign.NOT_FOUND;
import static dev.salesagent.router.error.ErrorSign.OUT_OF_CREDIT;
import static dev.salesagent.router.error.ErrorSign.OVERLOADED;
import static dev.salesagent.router.error.ErrorSign.RATE_LIMITED;

import dev.salesagent.router.error.ErrorDialect;

/**
 * Anthropic's errors (shared/research/wire-protocols.md §2.6): {@code {"type":"error","error":{"type","message"}}},
 * the same object as an {@code event: error} in a stream; a spend-cap 429 carries its code in
 * {@code error.details.error_code}; rate-limit headers {@code anthropic-ratelimit-*} / {@code anthropic-priority-*}.
 */
public final class AnthropicErrors {
  private AnthropicErrors() {}

  public static final ErrorDialect DIALECT = ErrorDialect.builder()
      .objectUnder("error")
      .codeAt("details", "error_code")
      .headers("anthropic-ratelimit-", "anthropic-priority-", "x-should-retry")
      .texts(CONTENT_FILTERED, "output blocked by content filtering policy")
      .texts(CONTEXT_LENGTH, "prompt is too long")
      .ids(OVERLOADED, "overloaded_error")
      .texts(OVERLOADED, "overloaded")
      .ids(OUT_OF_CREDIT, "enforced_spend_limit_reached")
      .ids(RATE_LIMITED, "rate_limit_error")
      .ids(AUTHENTICATION, "authentication_error", "permission_error", "billing_error")
      .ids(NOT_FOUND, "not_found_error")
      .types(INVALID_REQUEST, "invalid_request_error", "request_too_large")
      .build();
}
