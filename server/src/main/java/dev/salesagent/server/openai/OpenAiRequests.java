package dev.salesagent.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.chat.Limits;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ParsedChat;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an OpenAI chat-completions body. Unknown fields are ignored (clients send many); known fields are checked
 * and a bad one is a 400 naming the field and what to send instead. Messages are text: content parts of type
 * {@code text} are joined; tool results and an assistant's tool calls are carried as text (the router's message
 * model is plain text).
 */
public final class OpenAiRequests {
  private OpenAiRequests() {}

  public static ParsedChat parse(JsonNode root, GatewayOptions o, ModelCatalog catalog) {
    if (root == null || !root.isObject()) throw ApiException.invalid(null, "the body must be a JSON object");
    JsonNode modelNode = root.get("model");
    if (modelNode == null || !modelNode.isTextual()) {
      throw ApiException.invalid("model", "model is required and must be a string (auto, task:<task>, <provider>/<model> or a model id)");
    }
    JsonNode n = root.get("n");
    if (n != null && !n.isNull() && (!n.isIntegralNumber() || n.intValue() != 1)) {
      throw ApiException.invalid("n", "only n=1 is supported");
    }
    List<Message> messages = messages(root.get("messages"));
    Limits.check(messages, o);
    Integer maxTokens = Limits.maxTokens(root.get("max_completion_tokens"), "max_completion_tokens", o);
    if (maxTokens == null) maxTokens = Limits.maxTokens(root.get("max_tokens"), "max_tokens", o);
    Double temperature = null;
    JsonNode t = root.get("temperature");
    if (t != null && !t.isNull()) {
      if (!t.isNumber() || t.doubleValue() < 0 || t.doubleValue() > 2) {
        throw ApiException.invalid("temperature", "temperature must be a number between 0 and 2");
      }
      temperature = t.doubleValue();
    }
    List<String> stop = stop(root.get("stop"));
    ResponseFormat format = responseFormat(root.get("response_format"));
    List<ToolSpec> tools = tools(root.get("tools"));
    boolean stream = bool(root.get("stream"), "stream");
    boolean includeUsage = false;
    JsonNode so = root.get("stream_options");
    if (so != null && !so.isNull()) {
      if (!so.isObject()) throw ApiException.invalid("stream_options", "stream_options must be an object");
      includeUsage = bool(so.get("include_usage"), "stream_options.include_usage");
    }
    ModelCatalog.Resolved route = catalog.resolve(modelNode.textValue());
    ChatRequest chat = new ChatRequest(messages, maxTokens, temperature, stop, format, tools);
    return new ParsedChat(modelNode.textValue(), route, chat, stream, includeUsage);
  }

  private static boolean bool(JsonNode n, String field) {
    if (n == null || n.isNull()) return false;
    if (!n.isBoolean()) throw ApiException.invalid(field, field + " must be true or false");
    return n.booleanValue();
  }

  static List<Message> messages(JsonNode arr) {
    if (arr == null || !arr.isArray()) throw ApiException.invalid("messages", "messages is required and must be an array of {role, content}");
    if (arr.isEmpty()) throw ApiException.invalid("messages", "messages must contain at least one message");
    List<Message> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode m = arr.get(i);
      String at = "messages[" + i + "]";
      if (!m.isObject()) throw ApiException.invalid(at, at + " must be an object with role and content");
      JsonNode roleNode = m.get("role");
      if (roleNode == null || !roleNode.isTextual()) throw ApiException.invalid(at + ".role", at + ".role is required (system, developer, user, assistant or tool)");
      String role = roleNode.textValue();
      String content = content(m.get("content"), at + ".content");
      switch (role) {
        case "system", "developer" -> out.add(new Message(Role.SYSTEM, content == null ? "" : content));
        case "user" -> {
          if (content == null) throw ApiException.invalid(at + ".content", at + ".content is required for a user message");
          out.add(Message.user(content));
        }
        case "assistant" -> {
          StringBuilder sb = new StringBuilder(content == null ? "" : content);
          JsonNode calls = m.get("tool_calls");
          if (calls != null && calls.isArray()) {
            for (JsonNode c : calls) {
              JsonNode f = c.path("function");
              if (sb.length() > 0) sb.append('\n');
              sb.append("[tool call ").append(c.path("id").asText("")).append(": ").append(f.path("name").asText(""))
                  .append('(').append(f.path("arguments").asText("")).append(")]");
            }
          }
          out.add(Message.assistant(sb.toString()));
        }
        case "tool", "function" -> {
          String id = m.path("tool_call_id").asText(m.path("name").asText(""));
          out.add(Message.user("[tool result " + id + "]: " + (content == null ? "" : content)));
        }
        default -> throw ApiException.invalid(at + ".role", at + ".role '" + role
            + "' is not one of system, developer, user, assistant, tool");
      }
    }
    return out;
  }

  /** A string, an array of parts ({@code text} parts joined), or null. */
  static String content(JsonNode c, String at) {
    if (c == null || c.isNull()) return null;
    if (c.isTextual()) return c.textValue();
    if (c.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < c.size(); i++) {
        JsonNode part = c.get(i);
        String type = part.path("type").asText("");
        if (!"text".equals(type)) {
          throw ApiException.invalid(at + "[" + i + "].type", "only text content parts are supported, got '" + type + "'");
        }
        JsonNode text = part.get("text");
        if (text == null || !text.isTextual()) throw ApiException.invalid(at + "[" + i + "].text", at + "[" + i + "].text must be a string");
        sb.append(text.textValue());
      }
      return sb.toString();
    }
    throw ApiException.invalid(at, at + " must be a string or an array of text parts");
  }

  static List<String> stop(JsonNode s) {
    if (s == null || s.isNull()) return List.of();
    if (s.isTextual()) return List.of(s.textValue());
    if (s.isArray()) {
      if (s.size() > 4) throw ApiException.invalid("stop", "stop accepts at most 4 sequences");
      List<String> out = new ArrayList<>();
      for (JsonNode x : s) {
        if (!x.isTextual()) throw ApiException.invalid("stop", "stop must be a string or an array of strings");
        out.add(x.textValue());
      }
      return out;
    }
    throw ApiException.invalid("stop", "stop must be a string or an array of strings");
  }

  static ResponseFormat responseFormat(JsonNode f) {
    if (f == null || f.isNull()) return ResponseFormat.TEXT;
    String type = f.path("type").asText("");
    switch (type) {
      case "text":
        return ResponseFormat.TEXT;
      case "json_object":
        return ResponseFormat.JSON_OBJECT;
      case "json_schema": {
        JsonNode js = f.get("json_schema");
        if (js == null || !js.isObject()) throw ApiException.invalid("response_format.json_schema", "json_schema must be an object with name and schema");
        JsonNode schema = js.get("schema");
        if (schema == null || !schema.isObject()) throw ApiException.invalid("response_format.json_schema.schema", "json_schema.schema must be a JSON schema object");
        String name = js.path("name").asText("response");
        return new ResponseFormat.JsonSchema(name, (ObjectNode) schema, js.path("strict").asBoolean(false));
      }
      default:
        throw ApiException.invalid("response_format.type", "response_format.type must be text, json_object or json_schema");
    }
  }

  static List<ToolSpec> tools(JsonNode t) {
    if (t == null || t.isNull()) return List.of();
    if (!t.isArray()) throw ApiException.invalid("tools", "tools must be an array of {type: function, function: {...}}");
    List<ToolSpec> out = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      JsonNode tool = t.get(i);
      String at = "tools[" + i + "]";
      if (!"function".equals(tool.path("type").asText(""))) throw ApiException.invalid(at + ".type", at + ".type must be 'function'");
      JsonNode f = tool.get("function");
      if (f == null || !f.path("name").isTextual()) throw ApiException.invalid(at + ".function.name", at + ".function.name is required");
      JsonNode params = f.get("parameters");
      ObjectNode p = params != null && params.isObject() ? (ObjectNode) params
          : (ObjectNode) WireJson.object().put("type", "object").set("properties", WireJson.object());
      out.add(new ToolSpec(f.get("name").textValue(), f.path("description").isTextual() ? f.get("description").textValue() : null, p));
    }
    return out;
  }
}
