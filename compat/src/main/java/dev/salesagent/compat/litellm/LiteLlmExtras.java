package dev.salesagent.compat.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;

/**
 * LiteLLM's per-request extras in a chat-completions body. {@code mock_response} is honoured (the answer is that text,
 * no provider is called, nothing is charged: LiteLLM's way to test without spending); every other extra LiteLLM accepts
 * is ignored and named in the {@code x-sales-agent-ignored-params} response header, never refused with a 400 —
 * configure fallbacks, retries and timeouts in the task chain instead (an import does that).
 *
 * <p>Cost on ordinary requests: one pass over the body's top-level field names (already parsed) and a string switch
 * per name, no allocation beyond the iterator; nothing is built unless an extra is present.
 *
 * @param mockResponse the text to answer with, {@code null} = route normally
 * @param ignored      comma-separated names of the extras ignored, {@code null} = none
 */
public record LiteLlmExtras(String mockResponse, String ignored) {
  public static final LiteLlmExtras NONE = new LiteLlmExtras(null, null);
  public static final String IGNORED_HEADER = "x-sales-agent-ignored-params";

  public static LiteLlmExtras read(JsonNode body) {
    String mock = null;
    StringBuilder ignored = null;
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      switch (f) {
        case "mock_response" -> {
          JsonNode m = body.get(f);
          if (m.isTextual()) mock = m.textValue();
          else ignored = add(ignored, f); // LiteLLM's exception mocks are Python objects: nothing a JSON body can carry
        }
        case "metadata", "litellm_metadata", "tags", "fallbacks", "context_window_fallbacks", "content_policy_fallbacks",
            "disable_fallbacks", "num_retries", "max_retries", "mock_testing_fallbacks", "mock_testing_rate_limit_error",
            "mock_timeout", "caching", "cache", "no-cache", "ttl", "timeout", "request_timeout", "stream_timeout",
            "guardrails", "drop_params", "api_base", "base_url", "api_key", "api_version", "extra_headers", "user_config",
            "input_cost_per_token", "output_cost_per_token", "litellm_trace_id", "litellm_session_id" -> ignored = add(ignored, f);
        default -> { }
      }
    }
    return mock == null && ignored == null ? NONE : new LiteLlmExtras(mock, ignored == null ? null : ignored.toString());
  }

  private static StringBuilder add(StringBuilder b, String f) {
    if (b == null) return new StringBuilder(f);
    return b.append(", ").append(f);
  }
}
