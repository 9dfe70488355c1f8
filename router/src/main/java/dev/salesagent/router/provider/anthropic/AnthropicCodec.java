package dev.salesagent.router.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.Thinking;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.ErrorMapper;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.router.wire.WireFailure;

/** Anthropic Messages API wire format. */
public final class AnthropicCodec {
  private AnthropicCodec() {}

  public static final String VERSION = "2023-06-01";
  public static final int DEFAULT_MAX_TOKENS = 1024;
  static final String JSON_OBJECT_INSTRUCTION =
      "Respond with exactly one JSON object and nothing else: no prose, no code fences.";

  /**
   * The request body.
   *
   * <ul>
   *   <li>system messages → top-level {@code system};</li>
   *   <li>{@code max_tokens} defaults to 1024;</li>
   *   <li>{@code temperature} dropped for Claude 5-family models, which reject non-default sampling values;</li>
   *   <li>json_schema → a forced tool whose input is the answer (Claude 4 and earlier), or {@code output_config.format}
   *       (Claude 5 and later, which refuse a forced tool choice); json_object → a system instruction;</li>
   *   <li>a trailing assistant message is sent as the prefill to continue (trailing whitespace stripped: the API
   *       rejects a final assistant turn ending in whitespace);</li>
   *   <li>tools, tool choice, tool calls and results, images and {@code cache_control}: {@link AnthropicMessages};</li>
   *   <li>{@code thinking} as asked, {@code enabled} becoming {@code adaptive} for Claude 5 and later (which refuse a
   *       manual budget); not sent with the forced tool that stands for a JSON schema (the API refuses thinking with a
   *       forced tool choice, and that choice is ours, not the caller's).</li>
   * </ul>
   */
  public static ObjectNode requestBody(String model, ChatRequest r, boolean stream) {
    ObjectNode b = WireJson.object();
    b.put("model", model);
    b.put("max_tokens", r.maxTokens() != null ? r.maxTokens() : DEFAULT_MAX_TOKENS);
    String system = r.systemText();
    if (r.responseFormat() instanceof ResponseFormat.JsonObject) {
      system = system == null ? JSON_OBJECT_INSTRUCTION : system + "\n\n" + JSON_OBJECT_INSTRUCTION;
    }
    boolean parts = r.hasParts();
    JsonNode systemBlocks = parts ? AnthropicMessages.system(r.messages(), r.responseFormat() instanceof ResponseFormat.JsonObject
        ? JSON_OBJECT_INSTRUCTION : null) : null;
    if (systemBlocks != null) b.set("system", systemBlocks);
    else if (system != null) b.put("system", system);
    AnthropicMessages.messages(b.putArray("messages"), r.messages());
    if (r.temperature() != null && acceptsTemperature(model)) b.put("temperature", r.temperature());
    if (!r.stop().isEmpty()) {
      ArrayNode stop = b.putArray("stop_sequences");
      r.stop().forEach(stop::add);
    }
    ArrayNode tools = null;
    if (!r.tools().isEmpty()) {
      tools = b.putArray("tools");
      for (ToolSpec t : r.tools()) {
        ObjectNode o = tools.addObject();
        o.put("name", t.name());
        if (t.description() != null) o.put("description", t.description());
        o.set("input_schema", t.parameters());
        AnthropicMessages.cache(o, t.cacheControl());
      }
      ObjectNode choice = AnthropicMessages.toolChoice(r.toolChoice(), r.parallelToolCalls());
      if (choice != null) b.set("tool_choice", choice);
    }
    if (r.responseFormat() instanceof ResponseFormat.JsonSchema s && !acceptsTemperature(model)) {
      // Claude 5 and later answer a forced tool choice with 400 (Sonnet 5.5 migration guide): structured output
      // goes as output_config.format, and the answer is the text
      b.putObject("output_config").putObject("format").put("type", "json_schema").set("schema", s.schema());
    } else if (r.responseFormat() instanceof ResponseFormat.JsonSchema s) {
      if (tools == null) tools = b.putArray("tools");
      ObjectNode o = tools.addObject();
      o.put("name", s.name());
      o.put("description", "Give the answer as this tool's input.");
      o.set("input_schema", s.schema());
      b.putObject("tool_choice").put("type", "tool").put("name", s.name());
    }
    if (r.thinking() != null && !(r.responseFormat() instanceof ResponseFormat.JsonSchema && acceptsTemperature(model))) {
      ObjectNode t = b.putObject("thinking");
      if (r.thinking().mode() == Thinking.Mode.ENABLED && acceptsTemperature(model)) {
        t.put("type", "enabled").put("budget_tokens", r.thinking().budgetTokens());
      } else {
        t.put("type", "adaptive");
      }
    }
    if (stream) b.put("stream", true);
    return b;
  }

  /** Whether the model takes a {@code temperature}: Claude 5 and later reject non-default sampling parameters. */
  static boolean acceptsTemperature(String model) {
    if (model == null) return true;
    String m = model.startsWith("claude-") ? model.substring(7) : model;
    for (String part : m.split("-")) {
      if (!part.isEmpty() && part.chars().allMatch(Character::isDigit)) {
        try {
          return Integer.parseInt(part) < 5;
        } catch (NumberFormatException e) {
          return true;
        }
      }
    }
    return true;
  }

  /** Name of the forced tool standing for a JSON schema response format, or {@code null}. */
  public static String jsonToolName(ChatRequest r) {
    return r.responseFormat() instanceof ResponseFormat.JsonSchema s ? s.name() : null;
  }

  public static FinishReason finishReason(String v) {
    if (v == null) return null;
    return switch (v) {
      case "max_tokens", "model_context_window_exceeded", "compaction" -> FinishReason.LENGTH;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.STOP; // end_turn, stop_sequence, pause_turn, unknown
    };
  }

  static void applyUsage(ChatAccumulator acc, JsonNode u) {
    applyUsage(acc, u, true);
  }

  /** @param withOutput false for {@code message_start}, whose output count is a placeholder, not the final count */
  static void applyUsage(ChatAccumulator acc, JsonNode u, boolean withOutput) {
    if (u == null || !u.isObject()) return;
    Integer in = WireJson.integer(u, "input_tokens");
    Integer read = WireJson.integer(u, "cache_read_input_tokens");
    Integer write = WireJson.integer(u, "cache_creation_input_tokens");
    Integer total = in == null ? null : in + (read == null ? 0 : read) + (write == null ? 0 : write);
    // input_tokens excludes both cache fields; the model's inputTokens counts every prompt token
    acc.usage(total, withOutput ? WireJson.integer(u, "output_tokens") : null, total == null ? null : (read == null ? 0 : read),
        total == null ? null : (write == null ? 0 : write));
  }

  static void applyStop(ChatAccumulator acc, String stop, boolean jsonMode) {
    if (stop == null) return;
    FinishReason fr = finishReason(stop);
    if (jsonMode && fr == FinishReason.TOOL_CALLS) fr = FinishReason.STOP;
    acc.finish(stop, fr);
  }

  /**
   * Parses a non-streaming body.
   *
   * @param jsonTool the forced tool of a JSON-schema request, whose input becomes the text; {@code null} otherwise
   * @param errors   what an error body means
   */
  public static ChatAccumulator parseResponse(byte[] body, int off, int len, String jsonTool, ErrorMapper errors) {
    ChatAccumulator acc = ChatAccumulator.collecting();
    JsonNode n = WireJson.parse(body, off, len);
    if (n == null || !n.isObject()) {
      acc.fail(WireFailure.of(ErrorKind.UPSTREAM_ERROR, "malformed_body", "response body is not a JSON object"));
      return acc;
    }
    if ("error".equals(WireJson.text(n, "type")) || WireJson.node(n, "error") != null) {
      acc.fail(errors.fromPayload(n));
      return acc;
    }
    acc.id(WireJson.text(n, "id"));
    acc.model(WireJson.text(n, "model"));
    applyUsage(acc, WireJson.node(n, "usage"));
    JsonNode content = n.get("content");
    boolean jsonMode = false;
    if (content != null && content.isArray()) {
      int tool = 0;
      for (JsonNode block : content) {
        String type = WireJson.text(block, "type");
        if (type == null) continue;
        switch (type) {
          case "text" -> acc.text(WireJson.text(block, "text"));
          case "thinking" -> {
            acc.reasoning(WireJson.text(block, "thinking"));
            acc.reasoningSignature(WireJson.text(block, "signature"));
          }
          case "tool_use" -> {
            JsonNode input = block.get("input");
            String args = input == null || input.isNull() ? "{}" : WireJson.write(input);
            if (jsonTool != null && jsonTool.equals(WireJson.text(block, "name"))) {
              jsonMode = true;
              acc.text(args);
            } else {
              acc.toolCall(tool++, WireJson.text(block, "id"), WireJson.text(block, "name"), args);
            }
          }
          default -> { } // redacted_thinking, server_tool_use, web_search_tool_result, fallback, …
        }
      }
    }
    applyStop(acc, WireJson.text(n, "stop_reason"), jsonMode);
    if (acc.finishReason() == null) acc.finish(null, FinishReason.STOP);
    acc.complete();
    return acc;
  }
}
