package dev.salesagent.server.dialects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.dialects.Conversation.Answer;
import dev.salesagent.server.dialects.Conversation.Call;
import dev.salesagent.server.dialects.Conversation.Options;
import dev.salesagent.server.dialects.Conversation.Turn;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/responses} as a Responses API client speaks it (stateless: the whole conversation in {@code input},
 * the model's output items sent back as they came, {@code id} and {@code status} included). Reading a stream checks
 * the event grammar: sequence numbers 0, 1, 2, …; every item added before its deltas and done after them; the done
 * events repeat exactly what the deltas built; a terminal {@code response.*} event last.
 */
final class ResponsesDialect implements Dialect {
  @Override
  public String path() { return "/v1/responses"; }

  @Override
  public String toString() { return "responses"; }

  @Override
  public ObjectNode body(List<Turn> conv, List<Conversation.Tool> tools, Options o) {
    ObjectNode b = WireJson.object().put("model", o.model()).put("max_output_tokens", o.maxTokens());
    ArrayNode input = b.putArray("input");
    for (Turn t : conv) {
      if (t instanceof Conversation.User u) {
        ObjectNode m = input.addObject().put("role", "user");
        if (u.imageDataUrl() == null) {
          m.put("content", u.text());
        } else {
          ArrayNode parts = m.putArray("content");
          parts.addObject().put("type", "input_text").put("text", u.text());
          parts.addObject().put("type", "input_image").put("image_url", u.imageDataUrl());
        }
      } else if (t instanceof Conversation.Assistant a) {
        if (a.text() != null && !a.text().isEmpty()) {
          ObjectNode m = input.addObject().put("type", "message").put("role", "assistant").put("status", "completed");
          m.putArray("content").addObject().put("type", "output_text").put("text", a.text()).putArray("annotations");
        }
        for (Call c : a.calls()) {
          ObjectNode fc = input.addObject().put("type", "function_call");
          if (c.itemId() != null) fc.put("id", c.itemId());
          fc.put("call_id", c.id()).put("name", c.name()).put("arguments", c.arguments()).put("status", "completed");
        }
      } else if (t instanceof Conversation.Results rs) {
        for (Conversation.Result r : rs.results()) {
          input.addObject().put("type", "function_call_output").put("call_id", r.callId()).put("output", r.content());
        }
      }
    }
    if (!tools.isEmpty()) {
      ArrayNode ta = b.putArray("tools");
      for (Conversation.Tool t : tools) {
        ta.addObject().put("type", "function").put("name", t.name()).put("description", t.description())
            .put("strict", false).set("parameters", t.schema());
      }
      switch (o.choice()) {
        case "auto", "none", "required" -> b.put("tool_choice", o.choice());
        default -> b.putObject("tool_choice").put("type", "function").put("name", o.choice());
      }
    }
    if (o.stream()) b.put("stream", true);
    return b;
  }

  @Override
  public Answer read(HttpResponse<String> r, boolean stream) {
    if (r.statusCode() != 200) return OpenAiChatDialect.failed(r);
    if (!stream) return fromResponse(WireJson.parse(r.body()), r.body(), null);
    List<String> events = GatewayHarness.sseEvents(r.body());
    List<String> data = GatewayHarness.sseData(r.body());
    if (events.size() != data.size()) throw new AssertionError("every event has a name and data: " + r.body());
    Map<String, StringBuilder> built = new LinkedHashMap<>(); // item id -> text or arguments from the deltas
    Map<String, String> state = new LinkedHashMap<>(); // item id -> added | done
    JsonNode terminal = null;
    String error = null;
    for (int i = 0; i < data.size(); i++) {
      JsonNode n = WireJson.parse(data.get(i));
      if (n == null) throw new AssertionError("not JSON in the stream: " + data.get(i));
      String type = events.get(i);
      if (!type.equals(n.path("type").asText())) throw new AssertionError("event name and type differ: " + data.get(i));
      if (n.path("sequence_number").asInt(-1) != i) throw new AssertionError("sequence_number " + n.path("sequence_number") + " at event " + i);
      if (terminal != null) throw new AssertionError("an event after " + terminal.path("status") + ": " + data.get(i));
      if (i == 0 && !type.equals("response.created")) throw new AssertionError("the first event is " + type);
      if (i == 1 && !type.equals("response.in_progress")) throw new AssertionError("the second event is " + type);
      String item = n.path("item_id").asText(n.path("item").path("id").asText(null));
      switch (type) {
        case "response.created", "response.in_progress" -> { }
        case "response.output_item.added" -> {
          if (state.put(item, "added") != null) throw new AssertionError("item added twice: " + item);
          built.put(item, new StringBuilder());
        }
        case "response.content_part.added", "response.content_part.done" -> open(state, item, data.get(i));
        case "response.output_text.delta", "response.function_call_arguments.delta" -> {
          open(state, item, data.get(i));
          built.get(item).append(n.path("delta").asText());
        }
        case "response.output_text.done" -> same(built, item, n.path("text").asText(), data.get(i));
        case "response.function_call_arguments.done" -> same(built, item, n.path("arguments").asText(), data.get(i));
        case "response.output_item.done" -> {
          open(state, item, data.get(i));
          state.put(item, "done");
          JsonNode it = n.path("item");
          String whole = "function_call".equals(it.path("type").asText()) ? it.path("arguments").asText()
              : it.path("content").path(0).path("text").asText("");
          same(built, item, whole, data.get(i));
        }
        case "response.completed", "response.incomplete" -> terminal = n.path("response");
        case "error" -> error = n.path("message").asText();
        case "response.failed" -> {
          terminal = n.path("response");
          if (error == null) error = terminal.path("error").path("message").asText();
        }
        default -> throw new AssertionError("unexpected event " + type);
      }
    }
    if (terminal == null) throw new AssertionError("a stream ended without a terminal response event: " + r.body());
    if (error != null) return new Answer(200, "", List.of(), null, -1, -1, -1, error, true, r.body());
    for (Map.Entry<String, String> e : state.entrySet()) {
      if (!"done".equals(e.getValue())) throw new AssertionError("item never done: " + e.getKey());
    }
    return fromResponse(terminal, r.body(), built);
  }

  private static void open(Map<String, String> state, String item, String event) {
    if (!"added".equals(state.get(item))) throw new AssertionError("an event for an item that is not open: " + event);
  }

  private static void same(Map<String, StringBuilder> built, String item, String whole, String event) {
    if (!built.get(item).toString().equals(whole)) {
      throw new AssertionError("a done event differs from its deltas (" + built.get(item) + "): " + event);
    }
  }

  /** The response object: its output items; a stream's final object must agree with what the deltas built. */
  private static Answer fromResponse(JsonNode resp, String body, Map<String, StringBuilder> built) {
    if (!"response".equals(resp.path("object").asText())) throw new AssertionError("not a response object: " + body);
    StringBuilder text = new StringBuilder();
    List<Call> calls = new ArrayList<>();
    for (JsonNode it : resp.path("output")) {
      if (!"completed".equals(it.path("status").asText())) throw new AssertionError("an item not completed: " + it);
      switch (it.path("type").asText()) {
        case "message" -> {
          for (JsonNode p : it.path("content")) text.append(p.path("text").asText());
        }
        case "function_call" -> calls.add(new Call(it.path("call_id").asText(), it.path("name").asText(),
            it.path("arguments").asText(), it.path("id").asText()));
        default -> throw new AssertionError("unexpected item " + it);
      }
      if (built != null) {
        String whole = "function_call".equals(it.path("type").asText()) ? it.path("arguments").asText() : it.path("content").path(0).path("text").asText("");
        StringBuilder b = built.get(it.path("id").asText());
        if (b == null || !b.toString().equals(whole)) {
          throw new AssertionError("the final response differs from the streamed item " + it + ": " + b);
        }
      }
    }
    String status = resp.path("status").asText();
    String finish = !calls.isEmpty() ? "tool_calls" : "incomplete".equals(status) ? "length" : "stop";
    JsonNode u = resp.path("usage");
    return new Answer(200, text.toString(), calls, finish, u.path("input_tokens").asInt(-1),
        u.path("input_tokens_details").path("cached_tokens").asInt(-1), u.path("output_tokens").asInt(-1), null, false, body);
  }
}
