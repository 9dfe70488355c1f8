package dev.salesagent.server.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.server.http.JsonOut;
import dev.salesagent.server.http.Money;
import dev.salesagent.server.http.Responses;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** A routed answer as an OpenAI {@code chat.completion}. */
public final class OpenAiResponses {
  private OpenAiResponses() {}

  public static Buffer completion(String id, long created, RoutedResponse r) {
    ChatResponse c = r.response();
    return JsonOut.buffer(g -> {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("object", "chat.completion");
      g.writeNumberField("created", created);
      g.writeStringField("model", c.model());
      g.writeArrayFieldStart("choices");
      g.writeStartObject();
      g.writeNumberField("index", 0);
      g.writeObjectFieldStart("message");
      g.writeStringField("role", "assistant");
      if (c.text().isEmpty() && !c.toolCalls().isEmpty()) g.writeNullField("content");
      else g.writeStringField("content", c.text());
      g.writeNullField("refusal");
      if (c.reasoning() != null) g.writeStringField("reasoning_content", c.reasoning());
      if (!c.toolCalls().isEmpty()) {
        g.writeArrayFieldStart("tool_calls");
        for (ToolCall t : c.toolCalls()) {
          g.writeStartObject();
          g.writeStringField("id", t.id());
          g.writeStringField("type", "function");
          g.writeObjectFieldStart("function");
          g.writeStringField("name", t.name());
          g.writeStringField("arguments", t.argumentsJson() == null ? "{}" : t.argumentsJson());
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeNullField("logprobs");
      g.writeStringField("finish_reason", c.finishReason() == null ? "stop" : c.finishReason().wire());
      g.writeEndObject();
      g.writeEndArray();
      g.writeFieldName("usage");
      usage(g, c.usage(), r.costUsd());
      g.writeNullField("system_fingerprint");
      salesAgent(g, r);
      g.writeEndObject();
    });
  }

  /** OpenAI's usage object plus {@code cost_usd}; {@code null} when the provider reported nothing. */
  static void usage(JsonGenerator g, Usage u, double costUsd) throws IOException {
    if (u == null || !u.isKnown()) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    num(g, "prompt_tokens", u.inputTokens());
    num(g, "completion_tokens", u.outputTokens());
    if (u.inputTokens() != null && u.outputTokens() != null) g.writeNumberField("total_tokens", u.inputTokens() + u.outputTokens());
    else g.writeNullField("total_tokens");
    g.writeObjectFieldStart("prompt_tokens_details");
    num(g, "cached_tokens", u.cachedInputTokens() == null ? Integer.valueOf(0) : u.cachedInputTokens());
    g.writeEndObject();
    g.writeNumberField("cost_usd", Money.usdNumber(costUsd));
    g.writeEndObject();
  }

  private static void num(JsonGenerator g, String f, Integer v) throws IOException {
    if (v == null) g.writeNullField(f); else g.writeNumberField(f, v);
  }

  /** Our extension: where the answer came from and what it cost ({@code sales_agent}; clients ignore it). */
  static void salesAgent(JsonGenerator g, RoutedResponse r) throws IOException {
    g.writeObjectFieldStart("sales_agent");
    g.writeStringField("provider", r.response().provider());
    g.writeStringField("task", r.task());
    g.writeNumberField("cost_usd", Money.usdNumber(r.costUsd()));
    Responses.attempts(g, r.attempts());
    g.writeEndObject();
  }
}
