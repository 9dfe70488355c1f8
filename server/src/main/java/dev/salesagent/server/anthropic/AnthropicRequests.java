package dev.salesagent.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.chat.Limits;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ParsedChat;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an Anthropic Messages body. {@code max_tokens} is required, as Anthropic requires it. Content blocks of type
 * text are joined; tool_use and tool_result blocks are carried as text (the router's messages are plain text); other
 * block types (images, documents) are refused with a 400 that says so.
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
    List<Message> messages = new ArrayList<>();
    JsonNode system = root.get("system");
    if (system != null && !system.isNull()) {
      String sys = text(system, "system", true);
      messages.add(Message.system(sys));
    }
    JsonNode arr = root.get("messages");
    if (arr == null || !arr.isArray()) throw ApiException.invalid("messages", "messages: Field required (an array of {role, content})");
    if (arr.isEmpty()) throw ApiException.invalid("messages", "messages: at least one message is required");
    for (int i = 0; i < arr.size(); i++) {
      JsonNode m = arr.get(i);
      String at = "messages." + i;
      String role = m.path("role").asText("");
      String content = text(m.get("content"), at + ".content", false);
      switch (role) {
        case "user" -> messages.add(Message.user(content));
        case "assistant" -> messages.add(Message.assistant(content));
        default -> throw ApiException.invalid(at + ".role", at + ".role: must be 'user' or 'assistant' (put system text in the top-level system field)");
      }
    }
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
    List<ToolSpec> tools = new ArrayList<>();
    JsonNode tl = root.get("tools");
    if (tl != null && !tl.isNull()) {
      if (!tl.isArray()) throw ApiException.invalid("tools", "tools: must be an array");
      for (int i = 0; i < tl.size(); i++) {
        JsonNode tool = tl.get(i);
        if (!tool.path("name").isTextual()) throw ApiException.invalid("tools." + i + ".name", "tools." + i + ".name: Field required");
        JsonNode schema = tool.get("input_schema");
        if (schema == null || !schema.isObject()) {
          throw ApiException.invalid("tools." + i + ".input_schema", "tools." + i + ".input_schema: Field required (a JSON schema object)");
        }
        tools.add(new ToolSpec(tool.get("name").textValue(),
            tool.path("description").isTextual() ? tool.get("description").textValue() : null, (ObjectNode) schema));
      }
    }
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
    ModelCatalog.Resolved route = catalog.resolve(modelNode.textValue());
    return new ParsedChat(modelNode.textValue(), route,
        new ChatRequest(messages, maxTokens, temperature, stop, format, tools), stream, true);
  }

  /** A string or an array of blocks, as text. */
  static String text(JsonNode c, String at, boolean systemField) {
    if (c == null || c.isNull()) throw ApiException.invalid(at, at + ": Field required");
    if (c.isTextual()) return c.textValue();
    if (!c.isArray()) throw ApiException.invalid(at, at + ": must be a string or an array of content blocks");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < c.size(); i++) {
      JsonNode b = c.get(i);
      String type = b.path("type").asText("");
      String where = at + "." + i;
      switch (type) {
        case "text" -> {
          if (!b.path("text").isTextual()) throw ApiException.invalid(where + ".text", where + ".text: Field required");
          sb.append(b.get("text").textValue());
        }
        case "tool_use" -> {
          if (systemField) throw ApiException.invalid(where, where + ": system accepts only text blocks");
          if (sb.length() > 0) sb.append('\n');
          sb.append("[tool call ").append(b.path("id").asText("")).append(": ").append(b.path("name").asText(""))
              .append('(').append(b.path("input").toString()).append(")]");
        }
        case "tool_result" -> {
          if (systemField) throw ApiException.invalid(where, where + ": system accepts only text blocks");
          if (sb.length() > 0) sb.append('\n');
          JsonNode inner = b.get("content");
          String innerText = inner == null || inner.isNull() ? "" : text(inner, where + ".content", false);
          sb.append("[tool result ").append(b.path("tool_use_id").asText("")).append("]: ").append(innerText);
        }
        default -> throw ApiException.invalid(where + ".type", where + ".type: '" + type
            + "' blocks are not supported here; send text, tool_use or tool_result blocks");
      }
    }
    return sb.toString();
  }
}
