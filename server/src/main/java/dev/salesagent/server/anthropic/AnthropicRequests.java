package dev.salesagent.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.Thinking;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.ToolChoice;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.chat.Limits;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ParsedChat;
import dev.salesagent.server.chat.Parts;
import dev.salesagent.server.chat.Turns;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an Anthropic Messages body. {@code max_tokens} is required, as Anthropic requires it. Blocks keep their
 * structure: text (with {@code cache_control}), images, {@code tool_use} / {@code tool_result}, thinking; tools,
 * {@code tool_choice} and the {@code thinking} switch are the router's own. Block types no other provider could take
 * (documents, server tools) are refused with a 400 that says so — never dropped.
 */
public final class AnthropicRequests {
  private AnthropicRequests() {}

  public static ParsedChat parse(JsonNode root, GatewayOptions o, ModelCatalog catalog) {
    if (root == null || !root.isObject()) throw ApiException.invalid(null, "the body must be a JSON object");
    JsonNode modelNode = root.get("model");
    if (modelNode == null || !modelNode.isTextual()) throw ApiException.invalid("model", "model: Field required (a string)");
    JsonNode mt = root.get("max_tokens");
    if (mt == null || mt.isNull()) throw ApiException.invalid("max_tokens", "max_tokens: Field required");
    Integer maxTokens = Limits.maxTokens(mt, "max_tokens", o);
    JsonNode arr = root.get("messages");
    if (arr == null || !arr.isArray()) throw ApiException.invalid("messages", "messages: Field required (an array of {role, content})");
    if (arr.isEmpty()) throw ApiException.invalid("messages", "messages: at least one message is required");
    Turns turns = new Turns(arr.size() + 1);
    JsonNode system = root.get("system");
    if (system != null && !system.isNull()) turns.add(Parts.message(Role.SYSTEM, system(system)));
    for (int i = 0; i < arr.size(); i++) {
      JsonNode m = arr.get(i);
      String at = "messages." + i;
      String role = m.path("role").asText("");
      JsonNode content = m.get("content");
      if (content == null || content.isNull()) throw ApiException.invalid(at + ".content", at + ".content: Field required");
      switch (role) {
        case "user" -> user(content, at + ".content", turns);
        case "assistant" -> turns.add(assistant(content, at + ".content"));
        default -> throw ApiException.invalid(at + ".role", at + ".role: must be 'user' or 'assistant' (put system text in the top-level system field)");
      }
    }
    List<Message> messages = turns.messages();
    Limits.check(messages, o);
    Double temperature = null;
    JsonNode t = root.get("temperature");
    if (t != null && !t.isNull()) {
      if (!t.isNumber() || t.doubleValue() < 0 || t.doubleValue() > 1) {
        throw ApiException.invalid("temperature", "temperature: must be a number between 0 and 1");
      }
      temperature = t.doubleValue();
    }
    List<String> stop = new ArrayList<>();
    JsonNode ss = root.get("stop_sequences");
    if (ss != null && !ss.isNull()) {
      if (!ss.isArray()) throw ApiException.invalid("stop_sequences", "stop_sequences: must be an array of strings");
      for (JsonNode x : ss) {
        if (!x.isTextual()) throw ApiException.invalid("stop_sequences", "stop_sequences: must be an array of strings");
        stop.add(x.textValue());
      }
    }
    List<ToolSpec> tools = tools(root.get("tools"));
    JsonNode tc = root.get("tool_choice");
    ToolChoice choice = toolChoice(tc, tools);
    Boolean parallel = tc != null && tc.path("disable_parallel_tool_use").asBoolean(false) ? Boolean.FALSE : null;
    ResponseFormat format = ResponseFormat.TEXT;
    JsonNode fmt = root.path("output_config").get("format");
    if (fmt == null || fmt.isNull()) fmt = root.get("output_format");
    if (fmt != null && !fmt.isNull()) {
      if (!"json_schema".equals(fmt.path("type").asText("")) || !fmt.path("schema").isObject()) {
        throw ApiException.invalid("output_config.format", "output_config.format: must be {type: json_schema, schema: {...}}");
      }
      format = new ResponseFormat.JsonSchema("response", (ObjectNode) fmt.get("schema"), true);
    }
    JsonNode st = root.get("stream");
    if (st != null && !st.isNull() && !st.isBoolean()) throw ApiException.invalid("stream", "stream: must be a boolean");
    boolean stream = st != null && st.asBoolean(false);
    Thinking thinking = thinking(root.get("thinking"), maxTokens);
    ModelCatalog.Resolved route = catalog.resolve(modelNode.textValue());
    return new ParsedChat(modelNode.textValue(), route,
        new ChatRequest(messages, maxTokens, temperature, stop, format, tools, choice, parallel, thinking), stream, true);
  }

  /**
   * {@code thinking}: {@code {type: enabled, budget_tokens}} (at least 1,024 and below {@code max_tokens}, as the API
   * requires), {@code {type: adaptive}}, or {@code {type: disabled}} / absent (none).
   */
  static Thinking thinking(JsonNode t, Integer maxTokens) {
    if (t == null || t.isNull()) return null;
    String type = t.isObject() ? t.path("type").asText("") : "";
    switch (type) {
      case "disabled":
        return null;
      case "adaptive":
        return Thinking.ADAPTIVE;
      case "enabled": {
        JsonNode b = t.get("budget_tokens");
        if (b == null || !b.canConvertToInt() || !b.isIntegralNumber()) {
          throw ApiException.invalid("thinking.budget_tokens", "thinking.enabled.budget_tokens: Field required (an integer)");
        }
        if (b.intValue() < Thinking.MIN_BUDGET) {
          throw ApiException.invalid("thinking.budget_tokens",
              "thinking.enabled.budget_tokens: Input should be greater than or equal to " + Thinking.MIN_BUDGET);
        }
        if (maxTokens != null && b.intValue() >= maxTokens) {
          throw ApiException.invalid("max_tokens", "`max_tokens` must be greater than `thinking.budget_tokens`. Please"
              + " consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size");
        }
        return Thinking.enabled(b.intValue());
      }
      default:
        throw ApiException.invalid("thinking.type", "thinking: must be {type: enabled, budget_tokens}, {type: adaptive}"
            + " or {type: disabled}");
    }
  }

  /** The top-level {@code system}: a string, or text blocks (each may carry a {@code cache_control} breakpoint). */
  private static List<ContentPart> system(JsonNode c) {
    if (c.isTextual()) return List.of(new ContentPart.Text(c.textValue()));
    if (!c.isArray()) throw ApiException.invalid("system", "system: must be a string or an array of text blocks");
    List<ContentPart> out = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      JsonNode b = c.get(i);
      String where = "system." + i;
      if (!"text".equals(b.path("type").asText(""))) throw ApiException.invalid(where + ".type", where + ": system accepts only text blocks");
      out.add(text(b, where));
    }
    return out;
  }

  private static ContentPart.Text text(JsonNode b, String where) {
    if (!b.path("text").isTextual()) throw ApiException.invalid(where + ".text", where + ".text: Field required");
    return new ContentPart.Text(b.get("text").textValue(), Parts.cacheControl(b.get("cache_control"), where + ".cache_control"));
  }

  /**
   * A user turn: text and image blocks, and {@code tool_result} blocks. The results become the router's tool turn, the
   * rest a user turn after it (Anthropic wants results first in such a turn, which is the order kept).
   */
  private static void user(JsonNode c, String at, Turns turns) {
    if (c.isTextual()) {
      turns.add(Message.user(c.textValue()));
      return;
    }
    if (!c.isArray()) throw ApiException.invalid(at, at + ": must be a string or an array of content blocks");
    List<ContentPart> rest = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      JsonNode b = c.get(i);
      String type = b.path("type").asText("");
      String where = at + "." + i;
      switch (type) {
        case "text" -> rest.add(text(b, where));
        case "image" -> rest.add(image(b, where));
        case "tool_result" -> {
          JsonNode id = b.get("tool_use_id");
          if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
            throw ApiException.invalid(where + ".tool_use_id", where + ".tool_use_id: Field required");
          }
          turns.toolResult(new ContentPart.ToolResult(id.textValue(), resultText(b.get("content"), where + ".content"),
              b.path("is_error").asBoolean(false), Parts.cacheControl(b.get("cache_control"), where + ".cache_control")));
        }
        default -> throw ApiException.invalid(where + ".type", where + ".type: '" + type
            + "' blocks are not supported here; send text, image or tool_result blocks");
      }
    }
    if (!rest.isEmpty()) turns.add(Parts.message(Role.USER, rest));
  }

  /** A tool result's content: a string or text blocks (joined by a newline). */
  private static String resultText(JsonNode c, String at) {
    if (c == null || c.isNull()) return "";
    if (c.isTextual()) return c.textValue();
    if (!c.isArray()) throw ApiException.invalid(at, at + ": must be a string or an array of text blocks");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < c.size(); i++) {
      JsonNode b = c.get(i);
      String where = at + "." + i;
      if (!"text".equals(b.path("type").asText(""))) {
        throw ApiException.invalid(where + ".type", where + ".type: '" + b.path("type").asText("")
            + "' blocks are not supported in a tool result here; send its content as text");
      }
      if (i > 0) sb.append('\n');
      sb.append(text(b, where).text());
    }
    return sb.toString();
  }

  /** An {@code image} block: {@code source} base64 ({@code media_type}, {@code data}) or url. */
  private static ContentPart.Image image(JsonNode b, String where) {
    JsonNode src = b.get("source");
    String kind = src == null ? "" : src.path("type").asText("");
    ContentPart.Image img = switch (kind) {
      case "base64" -> Parts.imageData(src.path("media_type").asText(null), src.path("data").asText(""), where + ".source");
      case "url" -> {
        if (!src.path("url").isTextual()) throw ApiException.invalid(where + ".source.url", where + ".source.url: Field required");
        yield Parts.imageUrl(src.get("url").textValue(), where + ".source.url");
      }
      default -> throw ApiException.invalid(where + ".source", where + ".source: must be {type: base64, media_type, data} or {type: url, url}");
    };
    return img.withCacheControl(Parts.cacheControl(b.get("cache_control"), where + ".cache_control"));
  }

  /**
   * An assistant turn: text, {@code tool_use} blocks and {@code thinking} blocks (kept with their signature, which
   * Anthropic wants back in a tool loop). {@code redacted_thinking} is dropped: only Anthropic could read it, and it
   * is not needed to continue.
   */
  private static Message assistant(JsonNode c, String at) {
    if (c.isTextual()) return Message.assistant(c.textValue());
    if (!c.isArray()) throw ApiException.invalid(at, at + ": must be a string or an array of content blocks");
    List<ContentPart> parts = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      JsonNode b = c.get(i);
      String type = b.path("type").asText("");
      String where = at + "." + i;
      switch (type) {
        case "text" -> parts.add(text(b, where));
        case "tool_use" -> {
          if (!b.path("id").isTextual() || b.get("id").textValue().isEmpty()) throw ApiException.invalid(where + ".id", where + ".id: Field required");
          if (!b.path("name").isTextual()) throw ApiException.invalid(where + ".name", where + ".name: Field required");
          JsonNode input = b.get("input");
          if (input != null && !input.isNull() && !input.isObject()) throw ApiException.invalid(where + ".input", where + ".input: must be an object");
          parts.add(new ToolCall(b.get("id").textValue(), b.get("name").textValue(),
              input == null || input.isNull() ? "{}" : input.toString()));
        }
        case "thinking" -> parts.add(new ContentPart.Reasoning(b.path("thinking").asText(""), b.path("signature").asText(null)));
        case "redacted_thinking" -> { }
        default -> throw ApiException.invalid(where + ".type", where + ".type: '" + type
            + "' blocks are not supported here; send text, tool_use or thinking blocks");
      }
    }
    return Parts.message(Role.ASSISTANT, parts);
  }

  /**
   * Client tools ({@code name}, {@code description}, {@code input_schema}; {@code cache_control} kept,
   * {@code eager_input_streaming}, {@code strict} and other hints accepted). Anthropic's server tools (web search,
   * code execution, …) need Anthropic itself and are refused with a 400 that says so.
   */
  private static List<ToolSpec> tools(JsonNode tl) {
    if (tl == null || tl.isNull()) return List.of();
    if (!tl.isArray()) throw ApiException.invalid("tools", "tools: must be an array");
    List<ToolSpec> tools = new ArrayList<>(tl.size());
    for (int i = 0; i < tl.size(); i++) {
      JsonNode tool = tl.get(i);
      String at = "tools." + i;
      String type = tool.path("type").asText("custom");
      if (!"custom".equals(type)) {
        throw ApiException.invalid(at + ".type", at + ".type: '" + type + "' is an Anthropic server tool, which the "
            + "gateway cannot offer (any provider may serve the request); define it as a client tool with input_schema");
      }
      if (!tool.path("name").isTextual()) throw ApiException.invalid(at + ".name", at + ".name: Field required");
      JsonNode schema = tool.get("input_schema");
      if (schema == null || !schema.isObject()) {
        throw ApiException.invalid(at + ".input_schema", at + ".input_schema: Field required (a JSON schema object)");
      }
      tools.add(new ToolSpec(tool.get("name").textValue(),
          tool.path("description").isTextual() ? tool.get("description").textValue() : null, (ObjectNode) schema,
          Parts.cacheControl(tool.get("cache_control"), at + ".cache_control")));
    }
    return tools;
  }

  /** {@code {"type": "auto" | "any" | "none" | "tool", "name"?, "disable_parallel_tool_use"?}}. */
  private static ToolChoice toolChoice(JsonNode c, List<ToolSpec> tools) {
    if (c == null || c.isNull()) return ToolChoice.AUTO;
    String type = c.path("type").asText("");
    switch (type) {
      case "auto": return ToolChoice.AUTO;
      case "none": return ToolChoice.NONE;
      case "any":
        if (tools.isEmpty()) throw ApiException.invalid("tool_choice", "tool_choice: 'any' needs tools");
        return ToolChoice.REQUIRED;
      case "tool": {
        String name = c.path("name").asText(null);
        if (name == null || tools.stream().noneMatch(t -> t.name().equals(name))) {
          throw ApiException.invalid("tool_choice.name", "tool_choice.name: must name one of the tools, got " + name);
        }
        return ToolChoice.named(name);
      }
      default:
        throw ApiException.invalid("tool_choice", "tool_choice: type must be auto, any, none or tool");
    }
  }
}
