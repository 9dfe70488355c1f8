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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code POST /v1/chat/completions} as an OpenAI client speaks it. */
final class OpenAiChatDialect implements Dialect {
  @Override
  public String path() { return "/v1/chat/completions"; }

  @Override
  public String toString() { return "openai-chat"; }

  @Override
  public ObjectNode body(List<Turn> conv, List<Conversation.Tool> tools, Options o) {
    ObjectNode b = WireJson.object().put("model", o.model()).put("max_completion_tokens", o.maxTokens());
    ArrayNode msgs = b.putArray("messages");
    for (Turn t : conv) {
      if (t instanceof Conversation.User u) {
        ObjectNode m = msgs.addObject().put("role", "user");
        if (u.imageDataUrl() == null) {
          m.put("content", u.text());
        } else {
          ArrayNode parts = m.putArray("content");
          parts.addObject().put("type", "text").put("text", u.text());
          parts.addObject().put("type", "image_url").putObject("image_url").put("url", u.imageDataUrl());
        }
      } else if (t instanceof Conversation.Assistant a) {
        ObjectNode m = msgs.addObject().put("role", "assistant");
        if (a.text() == null || a.text().isEmpty()) m.putNull("content"); else m.put("content", a.text());
        if (!a.calls().isEmpty()) {
          ArrayNode tc = m.putArray("tool_calls");
          for (Call c : a.calls()) {
            ObjectNode x = tc.addObject().put("id", c.id()).put("type", "function");
            x.putObject("function").put("name", c.name()).put("arguments", c.arguments());
          }
        }
      } else if (t instanceof Conversation.Results rs) {
        for (Conversation.Result r : rs.results()) {
          msgs.addObject().put("role", "tool").put("tool_call_id", r.callId()).put("content", r.content());
        }
      }
    }
    if (!tools.isEmpty()) {
      ArrayNode ta = b.putArray("tools");
      for (Conversation.Tool t : tools) {
        ta.addObject().put("type", "function").putObject("function").put("name", t.name())
            .put("description", t.description()).set("parameters", t.schema());
      }
      switch (o.choice()) {
        case "auto", "none", "required" -> b.put("tool_choice", o.choice());
        default -> b.putObject("tool_choice").put("type", "function").putObject("function").put("name", o.choice());
      }
    }
    if (o.stream()) {
      b.put("stream", true);
      b.putObject("stream_options").put("include_usage", true);
    }
    return b;
  }

  @Override
  public Answer read(HttpResponse<String> r, boolean stream) {
    if (r.statusCode() != 200) return failed(r);
    if (!stream) {
      JsonNode n = WireJson.parse(r.body());
      JsonNode msg = n.path("choices").path(0).path("message");
      List<Call> calls = new ArrayList<>();
      for (JsonNode c : msg.path("tool_calls")) {
        calls.add(new Call(c.path("id").asText(), c.path("function").path("name").asText(),
            c.path("function").path("arguments").asText(), null));
      }
      JsonNode u = n.path("usage");
      return new Answer(200, msg.path("content").asText(""), calls, n.path("choices").path(0).path("finish_reason").asText(),
          u.path("prompt_tokens").asInt(-1), u.path("prompt_tokens_details").path("cached_tokens").asInt(-1),
          u.path("completion_tokens").asInt(-1), null, false, r.body());
    }
    StringBuilder text = new StringBuilder();
    Map<Integer, String[]> calls = new TreeMap<>(); // index -> id, name, arguments
    String finish = null;
    String error = null;
    int in = -1;
    int cached = -1;
    int out = -1;
    boolean done = false;
    for (String d : GatewayHarness.sseData(r.body())) {
      if (done) throw new AssertionError("data after [DONE]: " + d);
      if (d.equals("[DONE]")) { done = true; continue; }
      JsonNode n = WireJson.parse(d);
      if (n == null) throw new AssertionError("not JSON in the stream: " + d);
      if (n.has("error")) { error = n.path("error").path("message").asText(); continue; }
      JsonNode ch = n.path("choices").path(0);
      JsonNode delta = ch.path("delta");
      if (delta.path("content").isTextual()) text.append(delta.get("content").textValue());
      for (JsonNode tc : delta.path("tool_calls")) {
        int idx = tc.path("index").asInt();
        String[] c = calls.get(idx);
        if (c == null) {
          if (!tc.path("id").isTextual()) throw new AssertionError("a call's first chunk has no id: " + d);
          c = new String[] {tc.get("id").textValue(), tc.path("function").path("name").asText(), ""};
          calls.put(idx, c);
        }
        c[2] += tc.path("function").path("arguments").asText("");
      }
      if (ch.path("finish_reason").isTextual()) finish = ch.get("finish_reason").textValue();
      JsonNode u = n.path("usage");
      if (u.isObject()) {
        in = u.path("prompt_tokens").asInt(-1);
        cached = u.path("prompt_tokens_details").path("cached_tokens").asInt(-1);
        out = u.path("completion_tokens").asInt(-1);
      }
    }
    if (error == null && !done) throw new AssertionError("a stream ended without [DONE] or an error: " + r.body());
    List<Call> list = new ArrayList<>();
    for (String[] c : calls.values()) list.add(new Call(c[0], c[1], c[2], null));
    return new Answer(200, text.toString(), list, finish, in, cached, out, error, error != null, r.body());
  }

  static Answer failed(HttpResponse<String> r) {
    JsonNode n = WireJson.parse(r.body());
    String msg = n == null ? r.body() : n.path("error").path("message").asText(r.body());
    return new Answer(r.statusCode(), "", List.of(), null, -1, -1, -1, msg, false, r.body());
  }
}
