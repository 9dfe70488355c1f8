package dev.salesagent.router.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.ErrorMapper;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.router.wire.WireFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * OpenAI Chat Completions wire format (OpenAI, Cerebras, DeepSeek, Ollama /v1, any compatible server). What one
 * provider adds to the body comes in as {@link BodyExtras} from its folder.
 */
public final class OpenAiCodec {
  private OpenAiCodec() {}

  /** DeepSeek's finish reason for an inference cut short for lack of resources: a retryable error, not an answer. */
  public static final String INSUFFICIENT_RESOURCE = "insufficient_system_resource";

  /** The request body of plain OpenAI Chat Completions (a trailing assistant message is sent as is). */
  public static ObjectNode requestBody(String model, ChatRequest r, boolean stream) {
    return requestBody(model, r, stream, BodyExtras.NONE);
  }

  /**
   * The request body.
   *
   * @param extras what the provider adds to it (DeepSeek: its thinking switch, the prefix flag)
   */
  public static ObjectNode requestBody(String model, ChatRequest r, boolean stream, BodyExtras extras) {
    // one writer of the body (requestBytes, what is sent); the tree is that, read back
    byte[] b = requestBytes(model, r, stream, extras);
    return (ObjectNode) WireJson.parse(b, 0, b.length);
  }

  /**
   * The request body as sent, written straight to JSON bytes without building a tree first (it is sent on every
   * call); {@link #requestBody} gives it as a tree. Parameters as there.
   */
  public static byte[] requestBytes(String model, ChatRequest r, boolean stream, BodyExtras extras) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 64 * r.messages().size());
    try (JsonGenerator g = WireJson.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      g.writeArrayFieldStart("messages");
      var msgs = r.messages();
      for (int i = 0; i < msgs.size(); i++) {
        Message m = msgs.get(i);
        if (!m.isPlainText()) {
          OpenAiMessages.write(g, m, extras, i == msgs.size() - 1);
          continue;
        }
        g.writeStartObject();
        g.writeStringField("role", m.role().wire());
        g.writeStringField("content", m.content());
        if (i == msgs.size() - 1) extras.lastMessage(g, m);
        g.writeEndObject();
      }
      g.writeEndArray();
      if (r.maxTokens() != null) g.writeNumberField("max_tokens", r.maxTokens().intValue());
      if (r.temperature() != null) g.writeNumberField("temperature", r.temperature().doubleValue());
      if (!r.stop().isEmpty()) {
        g.writeArrayFieldStart("stop");
        for (String s : r.stop()) g.writeString(s);
        g.writeEndArray();
      }
      ResponseFormat f = r.responseFormat();
      if (f instanceof ResponseFormat.JsonObject) {
        g.writeObjectFieldStart("response_format");
        g.writeStringField("type", "json_object");
        g.writeEndObject();
      } else if (f instanceof ResponseFormat.JsonSchema s) {
        g.writeObjectFieldStart("response_format");
        g.writeStringField("type", "json_schema");
        g.writeObjectFieldStart("json_schema");
        g.writeStringField("name", s.name());
        g.writeFieldName("schema");
        g.writeTree(s.schema());
        g.writeBooleanField("strict", s.strict());
        g.writeEndObject();
        g.writeEndObject();
      }
      if (!r.tools().isEmpty()) {
        g.writeArrayFieldStart("tools");
        for (ToolSpec t : r.tools()) {
          g.writeStartObject();
          g.writeStringField("type", "function");
          g.writeObjectFieldStart("function");
          g.writeStringField("name", t.name());
          if (t.description() != null) g.writeStringField("description", t.description());
          g.writeFieldName("parameters");
          if (t.parameters() == null) g.writeNull(); else g.writeTree(t.parameters());
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
        OpenAiMessages.toolChoice(g, r.toolChoice());
        if (r.parallelToolCalls() != null) g.writeBooleanField("parallel_tool_calls", r.parallelToolCalls());
      }
      g.writeBooleanField("stream", stream);
      if (stream) {
        g.writeObjectFieldStart("stream_options");
        g.writeBooleanField("include_usage", true);
        g.writeEndObject();
      }
      extras.topLevel(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the request body", e);
    }
    return out.toByteArray();
  }

  /** The conversation ends with an assistant message: a prefill to continue (the router's continuation). */
  public static boolean endsWithAssistant(ChatRequest r) {
    var msgs = r.messages();
    if (msgs.isEmpty()) return false;
    Message last = msgs.get(msgs.size() - 1);
    return last.role() == Role.ASSISTANT && (last.isPlainText() || last.toolCalls().isEmpty());
  }

  /** Maps a finish reason; {@code null} for DeepSeek's resource failure (an error, see {@link #INSUFFICIENT_RESOURCE}). */
  public static FinishReason finishReason(String v) {
    if (v == null) return null;
    return switch (v) {
      case "length" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      case INSUFFICIENT_RESOURCE -> null;
      default -> FinishReason.STOP;
    };
  }

  /** Applies a finish reason to the accumulator (failing it for {@code insufficient_system_resource}). */
  static void applyFinish(ChatAccumulator acc, String v) {
    if (v == null) return;
    if (INSUFFICIENT_RESOURCE.equals(v)) {
      acc.finish(v, null);
      acc.fail(WireFailure.of(ErrorKind.UPSTREAM_ERROR, v, "inference interrupted: " + v));
      return;
    }
    acc.finish(v, finishReason(v));
  }

  /** Reads a usage object ({@code null}/absent = nothing reported). */
  static void applyUsage(ChatAccumulator acc, JsonNode usage) {
    if (usage == null || !usage.isObject()) return;
    // OpenAI reports cache reads in prompt_tokens_details.cached_tokens, DeepSeek in prompt_cache_hit_tokens (and
    // prompt_cache_miss_tokens, the rest); both count within prompt_tokens. Nobody reports cache writes here.
    Integer cached = WireJson.integer(WireJson.node(usage, "prompt_tokens_details"), "cached_tokens");
    if (cached == null) cached = WireJson.integer(usage, "prompt_cache_hit_tokens");
    acc.usage(WireJson.integer(usage, "prompt_tokens"), WireJson.integer(usage, "completion_tokens"), cached);
  }

  /** An error payload: {@code {"error": ...}} with a non-null error, or a Cerebras flat error (no choices). */
  static boolean isError(JsonNode n) {
    JsonNode e = n.get("error");
    if (e != null && !e.isNull()) return true;
    return !n.has("choices") && n.has("message") && n.has("type");
  }

  /**
   * Parses a non-streaming body (leading blank lines, DeepSeek's keep-alive, are skipped): a plain answer by the
   * {@link OpenAiAnswerReader}, anything else through a tree.
   */
  public static ChatAccumulator parseResponse(byte[] body, int off, int len, ErrorMapper errors) {
    ChatAccumulator acc = ChatAccumulator.collecting();
    int end = off + len;
    while (off < end && (body[off] == '\n' || body[off] == '\r' || body[off] == ' ' || body[off] == '\t')) off++;
    if (off == end) {
      acc.fail(WireFailure.of(ErrorKind.UPSTREAM_ERROR, "empty_body", "empty response body"));
      return acc;
    }
    ChatAccumulator plain = OpenAiAnswerReader.read(body, off, end - off);
    return plain != null ? plain : parseTree(body, off, end - off, errors);
  }

  /** Reads a body (blank lines already skipped) through a Jackson tree: every shape, errors included. */
  static ChatAccumulator parseTree(byte[] body, int off, int len, ErrorMapper errors) {
    ChatAccumulator acc = ChatAccumulator.collecting();
    JsonNode n = WireJson.parse(body, off, len);
    if (n == null || !n.isObject()) {
      acc.fail(WireFailure.of(ErrorKind.UPSTREAM_ERROR, "malformed_body", "response body is not a JSON object"));
      return acc;
    }
    if (isError(n)) {
      acc.fail(errors.fromPayload(n));
      return acc;
    }
    acc.id(WireJson.text(n, "id"));
    acc.model(WireJson.text(n, "model"));
    applyUsage(acc, WireJson.node(n, "usage"));
    JsonNode choices = n.get("choices");
    JsonNode c = choices != null && choices.isArray() && choices.size() > 0 ? choices.get(0) : null;
    if (c == null) {
      acc.fail(WireFailure.of(ErrorKind.UPSTREAM_ERROR, "malformed_body", "response has no choices"));
      return acc;
    }
    JsonNode msg = WireJson.node(c, "message");
    if (msg != null) {
      acc.reasoning(WireJson.text(msg, "reasoning_content"));
      acc.reasoning(WireJson.text(msg, "reasoning"));
      acc.text(WireJson.text(msg, "content"));
      JsonNode tcs = WireJson.node(msg, "tool_calls");
      if (tcs != null && tcs.isArray()) {
        int i = 0;
        for (JsonNode tc : tcs) {
          JsonNode fn = WireJson.node(tc, "function");
          JsonNode args = fn == null ? null : fn.get("arguments");
          String argText = args == null || args.isNull() ? null : args.isTextual() ? args.textValue() : WireJson.write(args);
          acc.toolCall(i++, WireJson.text(tc, "id"), WireJson.text(fn, "name"), argText);
        }
      }
    }
    applyFinish(acc, WireJson.text(c, "finish_reason"));
    if (acc.finishReason() == null && acc.failure() == null) acc.finish(null, FinishReason.STOP);
    acc.complete();
    return acc;
  }
}
