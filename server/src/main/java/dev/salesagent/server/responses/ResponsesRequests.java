package dev.salesagent.server.responses;

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
import dev.salesagent.server.chat.Limits;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ParsedChat;
import dev.salesagent.server.chat.Parts;
import dev.salesagent.server.chat.Turns;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.openai.OpenAiRequests;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an OpenAI Responses API body ({@code POST /v1/responses}) into the router's request. The gateway is
 * stateless: the whole conversation comes in {@code input} ({@code previous_response_id}, {@code conversation} and
 * {@code item_reference} items are refused with a 400 that says so). {@code input} is a string or items: messages
 * ({@code input_text}, {@code input_image}, an assistant's {@code output_text}), {@code function_call} items (accepted
 * as the gateway sent them, with their {@code id} and {@code status}) and {@code function_call_output} items;
 * {@code reasoning} items are skipped (OpenAI's own, encrypted for OpenAI). {@code instructions} is the system text.
 * Function tools only; {@code store} is accepted and nothing is stored.
 */
public final class ResponsesRequests {
  private ResponsesRequests() {}

  /** The request parameters the answer repeats, as OpenAI's does. */
  private static final String[] ECHOED = {"instructions", "max_output_tokens", "parallel_tool_calls", "temperature",
      "text", "tool_choice", "tools", "top_p", "user", "metadata"};

  public static ParsedChat parse(JsonNode root, GatewayOptions o, ModelCatalog catalog) {
    if (root == null || !root.isObject()) throw ApiException.invalid(null, "the body must be a JSON object");
    JsonNode modelNode = root.get("model");
    if (modelNode == null || !modelNode.isTextual()) {
      throw ApiException.invalid("model", "model is required and must be a string (auto, task:<task>, <provider>/<model> or a model id)");
    }
    stateless(root);
    JsonNode instructions = root.get("instructions");
    if (instructions != null && !instructions.isNull() && !instructions.isTextual()) {
      throw ApiException.invalid("instructions", "instructions must be a string");
    }
    List<Message> messages = input(root.get("input"), instructions == null || instructions.isNull() ? null : instructions.textValue());
    Limits.check(messages, o);
    Integer maxTokens = Limits.maxTokens(root.get("max_output_tokens"), "max_output_tokens", o);
    Double temperature = OpenAiRequests.temperature(root.get("temperature"));
    List<ToolSpec> tools = tools(root.get("tools"));
    ToolChoice choice = OpenAiRequests.toolChoice(root.get("tool_choice"), tools);
    JsonNode ptc = root.get("parallel_tool_calls");
    Boolean parallel = null;
    if (ptc != null && !ptc.isNull()) {
      if (!ptc.isBoolean()) throw ApiException.invalid("parallel_tool_calls", "parallel_tool_calls must be true or false");
      parallel = ptc.booleanValue();
    }
    ResponseFormat format = format(root.path("text").get("format"));
    JsonNode st = root.get("stream");
    if (st != null && !st.isNull() && !st.isBoolean()) throw ApiException.invalid("stream", "stream must be true or false");
    boolean stream = st != null && st.booleanValue();
    ModelCatalog.Resolved route = catalog.resolve(modelNode.textValue());
    ChatRequest chat = new ChatRequest(messages, maxTokens, temperature, List.of(), format, tools, choice, parallel);
    return new ParsedChat(modelNode.textValue(), route, chat, stream, true, echo(root));
  }

  /** What needs a stored conversation is refused, naming what to send instead. */
  private static void stateless(JsonNode root) {
    JsonNode prev = root.get("previous_response_id");
    if (prev != null && !prev.isNull()) {
      throw ApiException.invalid("previous_response_id", "previous_response_id is not supported: this gateway stores no "
          + "responses (any provider may serve the next turn); send the whole conversation in input, including the "
          + "output items of the previous response");
    }
    JsonNode conv = root.get("conversation");
    if (conv != null && !conv.isNull()) {
      throw ApiException.invalid("conversation", "conversation is not supported: this gateway stores no conversations; "
          + "send the whole conversation in input");
    }
    JsonNode bg = root.get("background");
    if (bg != null && bg.asBoolean(false)) {
      throw ApiException.invalid("background", "background responses are not supported (nothing is stored to poll)");
    }
    JsonNode prompt = root.get("prompt");
    if (prompt != null && !prompt.isNull()) {
      throw ApiException.invalid("prompt", "prompt templates are not supported: send instructions and input");
    }
  }

  private static ObjectNode echo(JsonNode root) {
    ObjectNode e = WireJson.object();
    for (String f : ECHOED) {
      JsonNode v = root.get(f);
      if (v != null) e.set(f, v);
    }
    if (!e.has("text")) e.set("text", WireJson.object().set("format", WireJson.object().put("type", "text")));
    return e;
  }

  static List<Message> input(JsonNode input, String instructions) {
    if (input == null || input.isNull()) throw ApiException.invalid("input", "input is required: a string or an array of items");
    Turns turns = new Turns(input.isArray() ? input.size() + 1 : 2);
    if (instructions != null) turns.add(Message.system(instructions));
    if (input.isTextual()) {
      turns.add(Message.user(input.textValue()));
      return turns.messages();
    }
    if (!input.isArray()) throw ApiException.invalid("input", "input must be a string or an array of items");
    if (input.isEmpty()) throw ApiException.invalid("input", "input must contain at least one item");
    for (int i = 0; i < input.size(); i++) item(input.get(i), "input[" + i + "]", turns);
    return turns.messages();
  }

  private static void item(JsonNode it, String at, Turns turns) {
    if (!it.isObject()) throw ApiException.invalid(at, at + " must be an object");
    String type = it.path("type").asText(it.has("role") ? "message" : "");
    switch (type) {
      case "message" -> message(it, at, turns);
      case "function_call" -> {
        String callId = requiredText(it, "call_id", at);
        String name = requiredText(it, "name", at);
        JsonNode args = it.get("arguments");
        String a = args == null || args.isNull() ? "{}" : args.isTextual() ? args.textValue() : args.toString();
        turns.assistantPart(new ToolCall(callId, name, a.isBlank() ? "{}" : a));
      }
      case "function_call_output" -> {
        String callId = requiredText(it, "call_id", at);
        turns.toolResult(new ContentPart.ToolResult(callId, output(it.get("output"), at + ".output")));
      }
      case "reasoning" -> { } // OpenAI's own reasoning, encrypted for OpenAI: no other provider can use it
      case "item_reference" -> throw ApiException.invalid(at + ".type", at + ": item_reference needs stored items, and this "
          + "gateway stores none; send the item itself");
      default -> throw ApiException.invalid(at + ".type", at + ".type '" + type + "' is not supported: send message, "
          + "function_call or function_call_output items");
    }
  }

  private static String requiredText(JsonNode it, String field, String at) {
    JsonNode v = it.get(field);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) throw ApiException.invalid(at + "." + field, at + "." + field + " is required (a string)");
    return v.textValue();
  }

  /** A message item: user / system / developer input, or an assistant's earlier output. */
  private static void message(JsonNode it, String at, Turns turns) {
    String role = it.path("role").asText("");
    JsonNode c = it.get("content");
    if (c == null || c.isNull()) throw ApiException.invalid(at + ".content", at + ".content is required");
    switch (role) {
      case "user" -> turns.add(Parts.message(Role.USER, content(c, at + ".content", true)));
      case "system", "developer" -> turns.add(Parts.message(Role.SYSTEM, content(c, at + ".content", false)));
      case "assistant" -> {
        for (ContentPart p : content(c, at + ".content", false)) turns.assistantPart(p);
      }
      default -> throw ApiException.invalid(at + ".role", at + ".role '" + role + "' is not one of user, system, developer, assistant");
    }
  }

  /** Content: a string, or parts — {@code input_text} / {@code output_text} / {@code refusal}, and images for a user. */
  private static List<ContentPart> content(JsonNode c, String at, boolean images) {
    if (c.isTextual()) return List.of(new ContentPart.Text(c.textValue()));
    if (!c.isArray()) throw ApiException.invalid(at, at + " must be a string or an array of content parts");
    List<ContentPart> out = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      JsonNode p = c.get(i);
      String pat = at + "[" + i + "]";
      String type = p.path("type").asText("");
      switch (type) {
        case "input_text", "output_text", "text" -> {
          if (!p.path("text").isTextual()) throw ApiException.invalid(pat + ".text", pat + ".text must be a string");
          out.add(new ContentPart.Text(p.get("text").textValue()));
        }
        case "refusal" -> out.add(new ContentPart.Text(p.path("refusal").asText("")));
        case "input_image" -> {
          if (!images) throw ApiException.invalid(pat + ".type", pat + ": images are accepted in user messages only");
          JsonNode url = p.get("image_url");
          if (url == null || !url.isTextual()) {
            throw ApiException.invalid(pat + ".image_url", pat + ".image_url must be a URL or a data: URL"
                + (p.has("file_id") ? " (file_id needs OpenAI's file store, which no other provider has)" : ""));
          }
          out.add(Parts.imageUrl(url.textValue(), pat + ".image_url"));
        }
        default -> throw ApiException.invalid(pat + ".type", pat + ".type '" + type + "' is not supported: send input_text"
            + (images ? " or input_image" : "") + " parts");
      }
    }
    return out;
  }

  /** A function call's output: a string, or {@code input_text} parts (joined by a newline). */
  private static String output(JsonNode o, String at) {
    if (o == null || o.isNull()) throw ApiException.invalid(at, at + " is required (a string)");
    if (o.isTextual()) return o.textValue();
    if (!o.isArray()) throw ApiException.invalid(at, at + " must be a string or an array of input_text parts");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < o.size(); i++) {
      JsonNode p = o.get(i);
      String type = p.path("type").asText("");
      if (!"input_text".equals(type) && !"output_text".equals(type)) {
        throw ApiException.invalid(at + "[" + i + "].type", at + "[" + i + "].type '" + type
            + "' is not supported in a function call's output here: send its output as text");
      }
      if (i > 0) sb.append('\n');
      sb.append(p.path("text").asText(""));
    }
    return sb.toString();
  }

  /** Function tools: {@code {"type":"function","name","description","parameters","strict"}}; hosted tools are refused. */
  private static List<ToolSpec> tools(JsonNode t) {
    if (t == null || t.isNull()) return List.of();
    if (!t.isArray()) throw ApiException.invalid("tools", "tools must be an array of {type: function, name, parameters}");
    List<ToolSpec> out = new ArrayList<>(t.size());
    for (int i = 0; i < t.size(); i++) {
      JsonNode tool = t.get(i);
      String at = "tools[" + i + "]";
      String type = tool.path("type").asText("");
      if (!"function".equals(type)) {
        throw ApiException.invalid(at + ".type", at + ".type '" + type + "' is not supported: only function tools "
            + "(OpenAI's hosted tools need OpenAI itself, and any provider may serve this request)");
      }
      if (!tool.path("name").isTextual()) throw ApiException.invalid(at + ".name", at + ".name is required");
      ObjectNode p = OpenAiRequests.parameters(tool.get("parameters"), at + ".parameters");
      out.add(new ToolSpec(tool.get("name").textValue(),
          tool.path("description").isTextual() ? tool.get("description").textValue() : null, p));
    }
    return out;
  }

  /** {@code text.format}: {@code text}, {@code json_object} or {@code json_schema} ({@code name}, {@code schema}, {@code strict}). */
  private static ResponseFormat format(JsonNode f) {
    if (f == null || f.isNull()) return ResponseFormat.TEXT;
    switch (f.path("type").asText("")) {
      case "text":
        return ResponseFormat.TEXT;
      case "json_object":
        return ResponseFormat.JSON_OBJECT;
      case "json_schema": {
        JsonNode schema = f.get("schema");
        if (schema == null || !schema.isObject()) throw ApiException.invalid("text.format.schema", "text.format.schema must be a JSON schema object");
        return new ResponseFormat.JsonSchema(f.path("name").asText("response"), (ObjectNode) schema, f.path("strict").asBoolean(false));
      }
      default:
        throw ApiException.invalid("text.format.type", "text.format.type must be text, json_object or json_schema");
    }
  }
}
