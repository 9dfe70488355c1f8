package dev.salesagent.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.ToolChoice;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.router.wire.WireJson;
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
 * Parses an OpenAI chat-completions body. Unknown fields are ignored (clients send many); known fields are checked
 * and a bad one is a 400 naming the field and what to send instead. Messages keep their structure: {@code text} and
 * {@code image_url} parts, an assistant's {@code tool_calls}, {@code tool} messages (consecutive ones are one tool
 * turn), {@code cache_control} on text parts and tools (LiteLLM's spelling for Anthropic's prompt cache); {@code tools},
 * {@code tool_choice} and {@code parallel_tool_calls} are the router's own.
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
    Double temperature = temperature(root.get("temperature"));
    List<String> stop = stop(root.get("stop"));
    ResponseFormat format = responseFormat(root.get("response_format"));
    List<ToolSpec> tools = tools(root.get("tools"));
    ToolChoice choice = toolChoice(root.get("tool_choice"), tools);
    JsonNode ptc = root.get("parallel_tool_calls");
    Boolean parallel = ptc == null || ptc.isNull() ? null : bool(ptc, "parallel_tool_calls");
    boolean stream = bool(root.get("stream"), "stream");
    boolean includeUsage = false;
    JsonNode so = root.get("stream_options");
    if (so != null && !so.isNull()) {
      if (!so.isObject()) throw ApiException.invalid("stream_options", "stream_options must be an object");
      includeUsage = bool(so.get("include_usage"), "stream_options.include_usage");
    }
    ModelCatalog.Resolved route = catalog.resolve(modelNode.textValue());
    ChatRequest chat = new ChatRequest(messages, maxTokens, temperature, stop, format, tools, choice, parallel);
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
    Turns turns = new Turns(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode m = arr.get(i);
      String at = "messages[" + i + "]";
      if (!m.isObject()) throw ApiException.invalid(at, at + " must be an object with role and content");
      JsonNode roleNode = m.get("role");
      if (roleNode == null || !roleNode.isTextual()) throw ApiException.invalid(at + ".role", at + ".role is required (system, developer, user, assistant or tool)");
      String role = roleNode.textValue();
      switch (role) {
        case "system", "developer" -> {
          JsonNode c = m.get("content");
          // a string is the common case: a plain message, no part objects
          turns.add(c != null && c.isTextual() ? Message.system(c.textValue())
              : Parts.message(Role.SYSTEM, parts(c, at + ".content", false)));
        }
        case "user" -> {
          JsonNode c = m.get("content");
          if (c == null || c.isNull()) throw ApiException.invalid(at + ".content", at + ".content is required for a user message");
          turns.add(c.isTextual() ? Message.user(c.textValue()) : Parts.message(Role.USER, parts(c, at + ".content", true)));
        }
        case "assistant" -> turns.add(assistant(m, at));
        case "tool" -> {
          JsonNode id = m.get("tool_call_id");
          if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
            throw ApiException.invalid(at + ".tool_call_id", at + ".tool_call_id is required: the id of the tool call this message answers");
          }
          List<ContentPart> parts = parts(m.get("content"), at + ".content", false);
          turns.toolResult(new ContentPart.ToolResult(id.textValue(), textOf(parts), false, lastMark(parts)));
        }
        case "function" -> throw ApiException.invalid(at + ".role", at + ".role 'function' is the deprecated function-calling "
            + "format: send tools and answer each tool call with a role 'tool' message carrying its tool_call_id");
        default -> throw ApiException.invalid(at + ".role", at + ".role '" + role
            + "' is not one of system, developer, user, assistant, tool");
      }
    }
    return turns.messages();
  }

  /** An assistant message: its text (may be null) and its {@code tool_calls}, in order. */
  private static Message assistant(JsonNode m, String at) {
    JsonNode calls = m.get("tool_calls");
    JsonNode c = m.get("content");
    if ((calls == null || calls.isNull() || calls.isEmpty()) && c != null && c.isTextual()) return Message.assistant(c.textValue());
    List<ContentPart> parts = parts(c, at + ".content", false);
    if (calls == null || calls.isNull() || calls.isEmpty()) return Parts.message(Role.ASSISTANT, parts);
    if (!calls.isArray()) throw ApiException.invalid(at + ".tool_calls", at + ".tool_calls must be an array");
    List<ContentPart> all = new ArrayList<>(parts.size() + calls.size());
    for (ContentPart p : parts) if (!(p instanceof ContentPart.Text t && t.text().isEmpty())) all.add(p);
    for (int k = 0; k < calls.size(); k++) {
      JsonNode call = calls.get(k);
      String cat = at + ".tool_calls[" + k + "]";
      JsonNode f = call.path("function");
      if (!call.path("id").isTextual() || call.get("id").textValue().isEmpty()) throw ApiException.invalid(cat + ".id", cat + ".id is required");
      if (!f.path("name").isTextual()) throw ApiException.invalid(cat + ".function.name", cat + ".function.name is required");
      JsonNode args = f.get("arguments");
      String argText = args == null || args.isNull() ? "{}" : args.isTextual() ? args.textValue() : args.toString();
      all.add(new ToolCall(call.get("id").textValue(), f.get("name").textValue(), argText.isBlank() ? "{}" : argText));
    }
    return Message.of(Role.ASSISTANT, all);
  }

  /**
   * Content as parts: a string, or an array of {@code text} parts (with an optional {@code cache_control}, as LiteLLM
   * clients send for Anthropic) and, where {@code images} is true, {@code image_url} parts. {@code null} content is
   * no parts.
   */
  static List<ContentPart> parts(JsonNode c, String at, boolean images) {
    if (c == null || c.isNull()) return List.of();
    if (c.isTextual()) return List.of(new ContentPart.Text(c.textValue()));
    if (!c.isArray()) throw ApiException.invalid(at, at + " must be a string or an array of content parts");
    List<ContentPart> out = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      JsonNode part = c.get(i);
      String pat = at + "[" + i + "]";
      String type = part.path("type").asText("");
      switch (type) {
        case "text" -> {
          JsonNode text = part.get("text");
          if (text == null || !text.isTextual()) throw ApiException.invalid(pat + ".text", pat + ".text must be a string");
          out.add(new ContentPart.Text(text.textValue(), Parts.cacheControl(part.get("cache_control"), pat + ".cache_control")));
        }
        case "image_url" -> {
          if (!images) throw ApiException.invalid(pat + ".type", pat + ": image parts are accepted in user messages only");
          JsonNode iu = part.get("image_url");
          JsonNode url = iu == null ? null : iu.isTextual() ? iu : iu.get("url");
          if (url == null || !url.isTextual()) throw ApiException.invalid(pat + ".image_url.url", pat + ".image_url.url must be a string");
          ContentPart.Image img = Parts.imageUrl(url.textValue(), pat + ".image_url.url");
          ContentPart.Image marked = img.withCacheControl(Parts.cacheControl(part.get("cache_control"), pat + ".cache_control"));
          out.add(marked);
        }
        default -> throw ApiException.invalid(pat + ".type", pat + ".type '" + type + "' is not supported: send text"
            + (images ? " or image_url" : "") + " parts");
      }
    }
    return out;
  }

  /** Text parts joined ({@code parts} holds only text: no images were allowed). */
  private static String textOf(List<ContentPart> parts) {
    if (parts.isEmpty()) return "";
    if (parts.size() == 1) return ((ContentPart.Text) parts.get(0)).text();
    StringBuilder sb = new StringBuilder();
    for (ContentPart p : parts) sb.append(((ContentPart.Text) p).text());
    return sb.toString();
  }

  /** The cache breakpoint on the last text part: a tool result is one part for the router, marked as its end is. */
  private static dev.salesagent.router.model.CacheControl lastMark(List<ContentPart> parts) {
    return parts.isEmpty() ? null : ((ContentPart.Text) parts.get(parts.size() - 1)).cacheControl();
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
      ObjectNode p = parameters(f.get("parameters"), at + ".function.parameters");
      out.add(new ToolSpec(f.get("name").textValue(), f.path("description").isTextual() ? f.get("description").textValue() : null, p,
          Parts.cacheControl(tool.get("cache_control"), at + ".cache_control")));
    }
    return out;
  }

  /**
   * {@code none | auto | required} or a named function — {@code {"type":"function","function":{"name":…}}} as chat
   * completions spell it, {@code {"type":"function","name":…}} as the Responses API does — naming an offered tool.
   */
  public static ToolChoice toolChoice(JsonNode c, List<ToolSpec> tools) {
    if (c == null || c.isNull()) return ToolChoice.AUTO;
    if (c.isTextual()) {
      switch (c.textValue()) {
        case "auto": return ToolChoice.AUTO;
        case "none": return ToolChoice.NONE;
        case "required":
          if (tools.isEmpty()) throw ApiException.invalid("tool_choice", "tool_choice 'required' needs tools");
          return ToolChoice.REQUIRED;
        default: break;
      }
    } else if (c.isObject() && "function".equals(c.path("type").asText(""))) {
      JsonNode n = c.path("function").path("name").isTextual() ? c.get("function").get("name") : c.get("name");
      if (n != null && n.isTextual()) {
        String name = n.textValue();
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
          throw ApiException.invalid("tool_choice", "tool_choice names function '" + name + "', which is not among the tools");
        }
        return ToolChoice.named(name);
      }
    }
    throw ApiException.invalid("tool_choice", "tool_choice must be none, auto, required or a function by name "
        + "({\"type\": \"function\", \"function\": {\"name\": …}}; on /v1/responses {\"type\": \"function\", \"name\": …})");
  }

  /** OpenAI's {@code temperature}: a number from 0 to 2, or {@code null} for the provider's default. */
  public static Double temperature(JsonNode t) {
    if (t == null || t.isNull()) return null;
    if (!t.isNumber() || t.doubleValue() < 0 || t.doubleValue() > 2) {
      throw ApiException.invalid("temperature", "temperature must be a number between 0 and 2");
    }
    return t.doubleValue();
  }

  /** A function's {@code parameters} schema as given; absent means a function without parameters. */
  public static ObjectNode parameters(JsonNode params, String at) {
    if (params == null || params.isNull()) {
      return (ObjectNode) WireJson.object().put("type", "object").set("properties", WireJson.object());
    }
    if (!params.isObject()) throw ApiException.invalid(at, at + " must be a JSON schema object");
    return (ObjectNode) params;
  }
}
