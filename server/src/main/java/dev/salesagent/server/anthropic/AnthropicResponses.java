package dev.salesagent.server.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.http.JsonOut;
import dev.salesagent.server.http.Money;
import dev.salesagent.server.http.Responses;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Set;

/** A routed answer as an Anthropic {@code message}, whichever provider produced it. */
public final class AnthropicResponses {
  private static final Set<String> NATIVE = Set.of("end_turn", "max_tokens", "stop_sequence", "tool_use", "refusal",
      "pause_turn", "model_context_window_exceeded");

  private AnthropicResponses() {}

  /** Anthropic's own stop reason when the provider was Anthropic, else translated from the normalised one. */
  public static String stopReason(ChatResponse c) {
    if (c.nativeFinishReason() != null && NATIVE.contains(c.nativeFinishReason())) return c.nativeFinishReason();
    FinishReason f = c.finishReason() == null ? FinishReason.STOP : c.finishReason();
    return switch (f) {
      case STOP -> "end_turn";
      case LENGTH -> "max_tokens";
      case TOOL_CALLS -> "tool_use";
      case CONTENT_FILTER -> "refusal";
    };
  }

  /**
   * The Messages answer. With {@code thinking} (the client asked for it) the reasoning comes first as a {@code thinking}
   * block with the provider's signature — empty when the provider signs nothing (DeepSeek), and such a block sent back
   * is not passed to Anthropic, which would refuse it.
   */
  public static Buffer message(String id, RoutedResponse r, boolean thinking) {
    ChatResponse c = r.response();
    return JsonOut.buffer(g -> {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("type", "message");
      g.writeStringField("role", "assistant");
      g.writeStringField("model", c.model());
      g.writeArrayFieldStart("content");
      if (thinking && c.reasoning() != null) {
        g.writeStartObject();
        g.writeStringField("type", "thinking");
        g.writeStringField("thinking", c.reasoning());
        g.writeStringField("signature", c.reasoningSignature() == null ? "" : c.reasoningSignature());
        g.writeEndObject();
      }
      if (!c.text().isEmpty() || c.toolCalls().isEmpty()) {
        g.writeStartObject();
        g.writeStringField("type", "text");
        g.writeStringField("text", c.text());
        g.writeEndObject();
      }
      for (ToolCall t : c.toolCalls()) {
        g.writeStartObject();
        g.writeStringField("type", "tool_use");
        g.writeStringField("id", t.id());
        g.writeStringField("name", t.name());
        g.writeFieldName("input");
        JsonNode input = t.argumentsJson() == null || t.argumentsJson().isBlank() ? null : WireJson.parse(t.argumentsJson());
        if (input == null || !input.isObject()) {
          g.writeStartObject();
          g.writeEndObject();
        } else {
          WireJson.MAPPER.writeTree(g, input);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("stop_reason", stopReason(c));
      g.writeNullField("stop_sequence");
      g.writeFieldName("usage");
      usage(g, c.usage(), true);
      g.writeObjectFieldStart("sales_agent");
      g.writeStringField("provider", c.provider());
      g.writeStringField("task", r.task());
      g.writeNumberField("cost_usd", Money.usdNumber(r.costUsd()));
      Responses.attempts(g, r.attempts());
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /**
   * Anthropic's usage: {@code input_tokens} excludes the cache reads and writes, which go to
   * {@code cache_read_input_tokens} and {@code cache_creation_input_tokens}; so the normalised input (all prompt
   * tokens) is split back, whichever provider reported it (DeepSeek's cache hits arrive as cache reads). Unreported
   * counts are {@code null}.
   */
  static void usage(JsonGenerator g, Usage u, boolean withOutput) throws IOException {
    g.writeStartObject();
    int cached = u.cachedOrZero();
    int created = u.cacheCreationOrZero();
    if (u.inputTokens() == null) g.writeNullField("input_tokens");
    else g.writeNumberField("input_tokens", Math.max(0, u.inputTokens() - cached - created));
    g.writeNumberField("cache_creation_input_tokens", created);
    g.writeNumberField("cache_read_input_tokens", cached);
    if (withOutput) {
      if (u.outputTokens() == null) g.writeNullField("output_tokens"); else g.writeNumberField("output_tokens", u.outputTokens());
    }
    g.writeEndObject();
  }
}
