package dev.salesagent.router.provider.ollama;

import static dev.salesagent.router.error.ErrorSign.CONTENT_FILTERED;
import static dev.salesagent.router.error.ErrorSign.CONTEXT_LENGTH;
import static dev.salesagent.router.error.ErrorSign.MODEL_MISSING_TEXT;
import static dev.salesagent.router.error.ErrorSign.OVERLOADED;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.error.ErrorDialect;

/**
 * Ollama's errors (shared/research/wire-protocols.md §6.5): only a text, {@code {"error":"…"}}, as a body or as a
 * stream line; what it means is in the words: {@code model "x" not found, try pulling it first}, {@code server busy}
 * (its queue is full), a prompt past the context length, a safety-policy refusal.
 */
public final class OllamaErrors {
  private OllamaErrors() {}

  public static final ErrorDialect DIALECT = ErrorDialect.builder()
      .textShape(OllamaErrors::errorText)
      .texts(CONTENT_FILTERED, "safety policy")
      .texts(CONTEXT_LENGTH, "context length")
      .texts(OVERLOADED, "server busy")
      .rule(MODEL_MISSING_TEXT, e -> {
        String m = ErrorDialect.lower(e.message());
        return m != null && m.contains("not found") && m.contains("model");
      })
      .build();

  private static String errorText(JsonNode payload) {
    JsonNode e = payload.get("error");
    return e != null && e.isTextual() ? e.textValue() : null;
  }
}
