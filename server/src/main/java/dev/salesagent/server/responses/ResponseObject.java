package dev.salesagent.server.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.JsonOut;
import dev.salesagent.server.http.Money;
import dev.salesagent.server.http.Responses;
import java.io.IOException;

/**
 * The Responses API {@code response} object, whole or as a stream's snapshot ({@code response.created},
 * {@code response.completed}, …). It repeats the request's parameters as OpenAI does ({@link ResponsesRequests#echo});
 * {@code store} is always false and {@code previous_response_id} always null: the gateway keeps no state.
 */
final class ResponseObject {
  private ResponseObject() {}

  /** What one snapshot says; {@code routed} (our {@code sales_agent} extension and cost) only at the end. */
  record Snapshot(String id, long createdAt, String model, String status, ObjectNode echo, OutputItems items,
                  Usage usage, ApiError error, String incompleteReason, RoutedResponse routed) {}

  /** {@code completed}, or {@code incomplete} when the answer was cut by the token limit or a content filter. */
  static String status(ChatResponse c) {
    return incompleteReason(c) == null ? "completed" : "incomplete";
  }

  static String incompleteReason(ChatResponse c) {
    if (c.finishReason() == FinishReason.LENGTH) return "max_output_tokens";
    if (c.finishReason() == FinishReason.CONTENT_FILTER) return "content_filter";
    return null;
  }

  static void write(JsonGenerator g, Snapshot s) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", s.id());
    g.writeStringField("object", "response");
    g.writeNumberField("created_at", s.createdAt());
    g.writeStringField("status", s.status());
    g.writeBooleanField("background", false);
    if (s.error() == null) {
      g.writeNullField("error");
    } else {
      g.writeObjectFieldStart("error");
      g.writeStringField("code", s.error().code());
      g.writeStringField("message", s.error().message());
      g.writeEndObject();
    }
    if (s.incompleteReason() == null) {
      g.writeNullField("incomplete_details");
    } else {
      g.writeObjectFieldStart("incomplete_details");
      g.writeStringField("reason", s.incompleteReason());
      g.writeEndObject();
    }
    echoed(g, s.echo(), "instructions", null);
    echoed(g, s.echo(), "max_output_tokens", null);
    g.writeStringField("model", s.model());
    g.writeFieldName("output");
    if (s.items() == null) {
      g.writeStartArray();
      g.writeEndArray();
    } else {
      s.items().write(g);
    }
    echoed(g, s.echo(), "parallel_tool_calls", WireJson.MAPPER.getNodeFactory().booleanNode(true));
    g.writeNullField("previous_response_id");
    g.writeObjectFieldStart("reasoning");
    g.writeNullField("effort");
    g.writeNullField("summary");
    g.writeEndObject();
    g.writeBooleanField("store", false);
    echoed(g, s.echo(), "temperature", null);
    echoed(g, s.echo(), "text", null);
    echoed(g, s.echo(), "tool_choice", WireJson.MAPPER.getNodeFactory().textNode("auto"));
    echoed(g, s.echo(), "tools", WireJson.MAPPER.createArrayNode());
    echoed(g, s.echo(), "top_p", null);
    g.writeStringField("truncation", "disabled");
    g.writeFieldName("usage");
    usage(g, s.usage(), s.routed() == null ? null : s.routed().costUsd());
    echoed(g, s.echo(), "user", null);
    echoed(g, s.echo(), "metadata", WireJson.object());
    if (s.routed() != null) salesAgent(g, s.routed());
    g.writeEndObject();
  }

  private static void echoed(JsonGenerator g, ObjectNode echo, String field, JsonNode dflt) throws IOException {
    JsonNode v = echo == null ? null : echo.get(field);
    if (v == null) v = dflt;
    g.writeFieldName(field);
    if (v == null) g.writeNull(); else WireJson.MAPPER.writeTree(g, v);
  }

  /**
   * The Responses usage object: {@code input_tokens} counts every prompt token, cached ones included (as ours does),
   * {@code input_tokens_details.cached_tokens} the cache reads; {@code null} when the provider reported nothing, and
   * before the end of a stream. {@code cost_usd} is our extension, as on chat completions.
   */
  static void usage(JsonGenerator g, Usage u, Double costUsd) throws IOException {
    if (u == null || !u.isKnown()) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    num(g, "input_tokens", u.inputTokens());
    g.writeObjectFieldStart("input_tokens_details");
    g.writeNumberField("cached_tokens", u.cachedOrZero());
    g.writeEndObject();
    num(g, "output_tokens", u.outputTokens());
    g.writeObjectFieldStart("output_tokens_details");
    g.writeNumberField("reasoning_tokens", 0);
    g.writeEndObject();
    if (u.inputTokens() != null && u.outputTokens() != null) {
      g.writeNumberField("total_tokens", u.inputTokens() + u.outputTokens());
    } else {
      g.writeNullField("total_tokens");
    }
    if (costUsd != null) g.writeNumberField("cost_usd", Money.usdNumber(costUsd));
    g.writeEndObject();
  }

  private static void num(JsonGenerator g, String f, Integer v) throws IOException {
    if (v == null) g.writeNullField(f); else g.writeNumberField(f, v);
  }

  /** Our extension: where the answer came from and what it cost ({@code sales_agent}; clients ignore it). */
  private static void salesAgent(JsonGenerator g, RoutedResponse r) throws IOException {
    g.writeObjectFieldStart("sales_agent");
    g.writeStringField("provider", r.response().provider());
    g.writeStringField("task", r.task());
    g.writeNumberField("cost_usd", Money.usdNumber(r.costUsd()));
    Responses.attempts(g, r.attempts());
    g.writeEndObject();
  }

  /** A whole answer ({@code POST /v1/responses} without {@code stream}). */
  static io.vertx.core.buffer.Buffer whole(String id, long createdAt, ObjectNode echo, RoutedResponse r) {
    ChatResponse c = r.response();
    Snapshot s = new Snapshot(id, createdAt, c.model(), status(c), echo, OutputItems.of(c), c.usage(), null,
        incompleteReason(c), r);
    return JsonOut.buffer(g -> write(g, s));
  }
}
