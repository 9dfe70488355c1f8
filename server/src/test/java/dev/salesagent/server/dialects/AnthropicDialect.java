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

/** {@code POST /v1/messages} as an Anthropic client speaks it. */
final class AnthropicDialect implements Dialect {
  @Override
  public String path() { return "/v1/messages"; }

  @Override
  public String toString() { return "anthropic"; }

  @Override
  public ObjectNode body(List<Turn> conv, List<Conversation.Tool> tools, Options o) {
    ObjectNode b = WireJson.object().put("model", o.model()).put("max_tokens", o.maxTokens());
    ArrayNode msgs = b.putArray("messages");
    for (Turn t : conv) {
      if (t instanceof Conversation.User u) {
        ObjectNode m = msgs.addObject().put("role", "user");
        if (u.imageDataUrl() == null) {
          m.put("content", u.text());
        } else {
          ArrayNode blocks = m.putArray("content");
          String url = u.imageDataUrl();
          int semi = url.indexOf(';');
          blocks.addObject().put("type", "image").putObject("source").put("type", "base64")
              .put("media_type", url.substring(5, semi)).put("data", url.substring(url.indexOf(',') + 1));
          blocks.addObject().put("type", "text").put("text", u.text());
        }
      } else if (t instanceof Conversation.Assistant a) {
        ArrayNode blocks = msgs.addObject().put("role", "assistant").putArray("content");
        if (a.text() != null && !a.text().isEmpty()) blocks.addObject().put("type", "text").put("text", a.text());
        for (Call c : a.calls()) {
          blocks.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name())
              .set("input", WireJson.parse(c.arguments()));
        }
      } else if (t instanceof Conversation.Results rs) {
        ArrayNode blocks = msgs.addObject().put("role", "user").putArray("content");
        for (Conversation.Result r : rs.results()) {
          blocks.addObject().put("type", "tool_result").put("tool_use_id", r.callId()).put("content", r.content());
        }
      }
    }
    if (!tools.isEmpty()) {
      ArrayNode ta = b.putArray("tools");
      for (Conversation.Tool t : tools) {
        // eager_input_streaming: Claude Code sends it on its tools; accepted and not passed on where unknown
        ta.addObject().put("name", t.name()).put("description", t.description()).put("eager_input_streaming", true)
            .set("input_schema", t.schema());
      }
      ObjectNode tc = b.putObject("tool_choice");
      switch (o.choice()) {
        case "auto" -> tc.put("type", "auto");
        case "none" -> tc.put("type", "none");
        case "required" -> tc.put("type", "any");
        default -> tc.put("type", "tool").put("name", o.choice());
      }
    }
    if (o.stream()) b.put("stream", true);
    return b;
  }

  private static String finish(String stopReason) {
    return switch (stopReason) {
      case "tool_use" -> "tool_calls";
      case "max_tokens" -> "length";
      case "end_turn", "stop_sequence" -> "stop";
      default -> stopReason;
    };
  }

  @Override
  public Answer read(HttpResponse<String> r, boolean stream) {
    if (r.statusCode() != 200) {
      JsonNode n = WireJson.parse(r.body());
      if (n == null || !"error".equals(n.path("type").asText())) throw new AssertionError("not Anthropic's error shape: " + r.body());
      return new Answer(r.statusCode(), "", List.of(), null, -1, -1, -1, n.path("error").path("message").asText(), false, r.body());
    }
    if (!stream) {
      JsonNode n = WireJson.parse(r.body());
      StringBuilder text = new StringBuilder();
      List<Call> calls = new ArrayList<>();
      for (JsonNode blk : n.path("content")) {
        switch (blk.path("type").asText()) {
          case "text" -> text.append(blk.path("text").asText());
          case "tool_use" -> {
            if (!blk.path("input").isObject()) throw new AssertionError("tool_use input is not an object: " + blk);
            calls.add(new Call(blk.path("id").asText(), blk.path("name").asText(), blk.get("input").toString(), null));
          }
          default -> throw new AssertionError("unexpected block " + blk);
        }
      }
      JsonNode u = n.path("usage");
      int cached = u.path("cache_read_input_tokens").asInt(0);
      int in = u.path("input_tokens").asInt(0) + cached + u.path("cache_creation_input_tokens").asInt(0);
      return new Answer(200, text.toString(), calls, finish(n.path("stop_reason").asText()), in, cached,
          u.path("output_tokens").asInt(-1), null, false, r.body());
    }
    List<String> events = GatewayHarness.sseEvents(r.body());
    List<String> data = GatewayHarness.sseData(r.body());
    if (events.size() != data.size()) throw new AssertionError("every Anthropic event has a name and data: " + r.body());
    StringBuilder text = new StringBuilder();
    List<String[]> calls = new ArrayList<>(); // id, name, json
    int openBlock = -1;
    String openType = null;
    String finish = null;
    String error = null;
    int in = -1;
    int cached = -1;
    int out = -1;
    boolean stopped = false;
    for (int i = 0; i < data.size(); i++) {
      JsonNode n = WireJson.parse(data.get(i));
      if (n == null) throw new AssertionError("not JSON in the stream: " + data.get(i));
      if (!events.get(i).equals(n.path("type").asText())) throw new AssertionError("event name and type differ: " + data.get(i));
      if (stopped) throw new AssertionError("an event after message_stop: " + data.get(i));
      switch (events.get(i)) {
        case "content_block_start" -> {
          if (openBlock >= 0) throw new AssertionError("block " + n.path("index").asInt() + " starts while " + openBlock + " is open");
          openBlock = n.path("index").asInt();
          JsonNode blk = n.path("content_block");
          openType = blk.path("type").asText();
          if ("tool_use".equals(openType)) calls.add(new String[] {blk.path("id").asText(), blk.path("name").asText(), ""});
        }
        case "content_block_delta" -> {
          if (n.path("index").asInt() != openBlock) throw new AssertionError("a delta for a block that is not open: " + data.get(i));
          JsonNode d = n.path("delta");
          switch (d.path("type").asText()) {
            case "text_delta" -> text.append(d.path("text").asText());
            case "input_json_delta" -> {
              if (!"tool_use".equals(openType)) throw new AssertionError("input_json_delta in a " + openType + " block");
              calls.get(calls.size() - 1)[2] += d.path("partial_json").asText();
            }
            default -> throw new AssertionError("unexpected delta " + d);
          }
        }
        case "content_block_stop" -> {
          if (n.path("index").asInt() != openBlock) throw new AssertionError("stop for a block that is not open: " + data.get(i));
          openBlock = -1;
        }
        case "message_delta" -> {
          finish = finish(n.path("delta").path("stop_reason").asText());
          JsonNode u = n.path("usage");
          cached = u.path("cache_read_input_tokens").asInt(0);
          in = u.path("input_tokens").asInt(0) + cached + u.path("cache_creation_input_tokens").asInt(0);
          out = u.path("output_tokens").asInt(-1);
        }
        case "message_stop" -> stopped = true;
        case "error" -> error = n.path("error").path("message").asText();
        case "message_start", "ping" -> { }
        default -> throw new AssertionError("unexpected event " + events.get(i));
      }
    }
    if (error == null && !stopped) throw new AssertionError("a stream ended without message_stop or an error: " + r.body());
    List<Call> list = new ArrayList<>();
    for (String[] c : calls) list.add(new Call(c[0], c[1], c[2].isEmpty() ? "{}" : c[2], null));
    return new Answer(200, text.toString(), list, finish, in, cached, out, error, error != null, r.body());
  }
}
