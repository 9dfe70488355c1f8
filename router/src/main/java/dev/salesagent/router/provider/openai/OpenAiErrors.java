package dev.salesagent.router.provider.openai;

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
 * OpenAI's errors (shared/research/wire-protocols.md §3.5) — {@code {"error":{"message","type","param","code"}}}, as a
 * body or a stream event, {@code x-ratelimit-*} headers — with Azure OpenAI's content-management refusal, and the names
 * other OpenAI-compatible servers and gateways use (ours among them: they name the kind itself, {@code rate_limited},
 * {@code overloaded}, …). DeepSeek's and Cerebras' own names are in their folders.
 */
public final class OpenAiErrors {
  private OpenAiErrors() {}

  public static final ErrorDialect DIALECT = ErrorDialect.builder()
      .objectUnder("error")
      .headers("x-ratelimit-", "x-should-retry")
      .ids(CONTENT_FILTERED, "content_policy_violation", "content_filter")
      .texts(CONTENT_FILTERED, "content management policy", "content_policy_violation")
      .ids(CONTEXT_LENGTH, "context_length_exceeded", "string_above_max_length")
      .texts(CONTEXT_LENGTH, "maximum context", "context_length")
      .ids(OVERLOADED, "server_is_overloaded", "slow_down")
      .ids(OUT_OF_CREDIT, "insufficient_quota")
      .ids(RATE_LIMITED, "rate_limit_exceeded", "tokens", "requests")
      .ids(AUTHENTICATION, "invalid_api_key")
      .ids(NOT_FOUND, "model_not_found")
      .types(INVALID_REQUEST, "invalid_request_error")
      // other compatible servers and gateways
      .ids(CONTENT_FILTERED, "content_filtered", "moderation_error")
      .texts(CONTEXT_LENGTH, "context window", "too many tokens in the prompt")
      .ids(OVERLOADED, "overloaded", "service_unavailable")
      .ids(RATE_LIMITED, "rate_limited")
      .ids(AUTHENTICATION, "permission_denied", "unauthorized")
      .ids(NOT_FOUND, "not_found")
      .types(INVALID_REQUEST, "bad_request")
      .build();
}
