package dev.salesagent.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-side view of a chat answer in any of the three protocols, read from the raw bytes (whole or streamed): its tool
 * calls (with how many fragments their arguments came in), its text and its finish reason. Also builds the requests.
 */
final class ToolWire {
  private ToolWire() {}

  enum P { ANTHROPIC, OPENAI, OLLAMA }

  /** A call as the client reassembles it; {@code fragments} = non-empty argument fragments (1 when sent whole). */
  record Call(String id, String name, JsonNode args, int fragments) {}

  record Reply(int status, JsonNode error, List<Call> calls, String text, String finish, JsonNode usage, int toolChunks) {}

  static final ObjectNode WEATHER = schema("city", "unit");
  static final ObjectNode DOCS = schema("query");

  static ObjectNode schema(String... stringProps) {
    // "$schema" and additionalProperties as LangChain and the Vercel AI SDK send them
    ObjectNode s = EmulatorTestBase.M.createObjectNode().put("$schema", "http://json-schema.org/draft-07/schema#").put("type", "object");
    ObjectNode props = s.putObject("properties");
    ArrayNode req = s.putArray("required");
    for (String p : stringProps) {
      props.putObject(p).put("type", "string");
      req.add(p);
    }
    if (stringProps.length > 1) {
      ((ObjectNode) props.get(stringProps[1])).putArray("enum").add("celsius").add("fahrenheit");
    }
    s.put("additionalProperties", false);
    return s;
  }

  /** Offered tools: get_weather(city, unit enum), search_docs(query), in that order. */
  static void addTools(P p, ObjectNode body) {
    ArrayNode tools = body.putArray("tools");
    for (Object[] t : new Object[][] {{"get_weather", WEATHER}, {"search_docs", DOCS}}) {
      if (p == P.ANTHROPIC) {
        tools.addObject().put("name", (String) t[0]).put("description", "tool " + t[0]).set("input_schema", (JsonNode) t[1]);
      } else {
        ObjectNode f = tools.addObject().put("type", "function").putObject("function");
        f.put("name", (String) t[0]).put("description", "tool " + t[0]).set("parameters", (JsonNode) t[1]);
      }
    }
  }

  static ObjectNode body(P p, boolean stream, String user) {
    ObjectNode b = switch (p) {
      case ANTHROPIC -> EmulatorTestBase.anthropicBody("claude-sonnet-4-5", stream, user);
      case OPENAI -> EmulatorTestBase.openAiBody("gpt-oss-120b", stream, user);
      case OLLAMA -> EmulatorTestBase.ollamaBody("llama3.2", stream, user);
    };
    if (p == P.OPENAI && stream) b.putObject("stream_options").put("include_usage", true);
    return b;
  }

  static RawHttp.Result send(P p, ObjectNode body) throws Exception {
    return switch (p) {
      case ANTHROPIC -> EmulatorTestBase.anthropic(body);
      case OPENAI -> EmulatorTestBase.openai(body);
      case OLLAMA -> EmulatorTestBase.ollama(body);
    };
  }

  static Reply read(P p, RawHttp.Result r, boolean stream) throws Exception {
    if (r.status != 200) return new Reply(r.status, EmulatorTestBase.json(r.body), List.of(), "", null, null, 0);
    assertTrue(r.complete, r.toString());
    return switch (p) {
      case ANTHROPIC -> stream ? anthropicStream(r.body) : anthropicWhole(EmulatorTestBase.json(r.body));
      case OPENAI -> stream ? openAiStream(r.body) : openAiWhole(EmulatorTestBase.json(r.body));
      case OLLAMA -> stream ? ollamaStream(r.body) : ollamaWhole(EmulatorTestBase.json(r.body));
    };
  }

  static Reply roundTrip(P p, ObjectNode body, boolean stream) throws Exception {
    return read(p, send(p, body), stream);
  }

  private static Reply anthropicWhole(JsonNode j) {
    List<Call> calls = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (JsonNode b : j.path("content")) {
      if ("tool_use".equals(b.path("type").asText())) calls.add(new Call(b.path("id").asText(), b.path("name").asText(), b.path("input"), 1));
      if ("text".equals(b.path("type").asText())) text.append(b.path("text").asText());
    }
    return new Reply(200, null, calls, text.toString(), j.path("stop_reason").asText(), j.path("usage"), 0);
  }

  private static Reply anthropicStream(String body) throws Exception {
    Map<Integer, String[]> blocks = new LinkedHashMap<>(); // index -> {id, name, json, fragments}
    StringBuilder text = new StringBuilder();
    String finish = null;
    ObjectNode usage = EmulatorTestBase.M.createObjectNode();
    for (EmulatorTestBase.SseEvent e : EmulatorTestBase.sse(body)) {
      JsonNode d = EmulatorTestBase.json(e.data());
      assertEquals(e.event(), d.path("type").asText(), "event name matches its type");
      switch (e.event()) {
        case "message_start" -> usage.setAll((ObjectNode) d.path("message").path("usage"));
        case "content_block_start" -> {
          JsonNode cb = d.path("content_block");
          if ("tool_use".equals(cb.path("type").asText())) {
            blocks.put(d.path("index").asInt(), new String[] {cb.path("id").asText(), cb.path("name").asText(), "", "0"});
          }
        }
        case "content_block_delta" -> {
          JsonNode delta = d.path("delta");
          if ("input_json_delta".equals(delta.path("type").asText())) {
            String[] b = blocks.get(d.path("index").asInt());
            b[2] += delta.path("partial_json").asText();
            if (!delta.path("partial_json").asText().isEmpty()) b[3] = Integer.toString(Integer.parseInt(b[3]) + 1);
          } else if ("text_delta".equals(delta.path("type").asText())) {
            text.append(delta.path("text").asText());
          }
        }
        case "message_delta" -> {
          finish = d.path("delta").path("stop_reason").asText();
          usage.setAll((ObjectNode) d.path("usage"));
        }
        default -> {}
      }
    }
    List<Call> calls = new ArrayList<>();
    for (String[] b : blocks.values()) calls.add(new Call(b[0], b[1], EmulatorTestBase.json(b[2]), Integer.parseInt(b[3])));
    return new Reply(200, null, calls, text.toString(), finish, usage, 0);
  }

  private static Reply openAiWhole(JsonNode j) throws Exception {
    JsonNode m = j.path("choices").get(0).path("message");
    List<Call> calls = new ArrayList<>();
    for (JsonNode c : m.path("tool_calls")) {
      calls.add(new Call(c.path("id").asText(), c.path("function").path("name").asText(),
          EmulatorTestBase.json(c.path("function").path("arguments").asText()), 1));
    }
    return new Reply(200, null, calls, m.path("content").asText(""), j.path("choices").get(0).path("finish_reason").asText(), j.path("usage"), 0);
  }

  private static Reply openAiStream(String body) throws Exception {
    Map<Integer, String[]> calls = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder();
    String finish = null;
    JsonNode usage = null;
    for (EmulatorTestBase.SseEvent e : EmulatorTestBase.sse(body)) {
      if (e.data().equals("[DONE]")) continue;
      JsonNode d = EmulatorTestBase.json(e.data());
      if (d.path("usage").isObject()) usage = d.get("usage");
      if (d.path("choices").isEmpty()) continue;
      JsonNode ch = d.path("choices").get(0);
      if (ch.path("finish_reason").isTextual()) finish = ch.get("finish_reason").asText();
      JsonNode delta = ch.path("delta");
      if (delta.path("content").isTextual()) text.append(delta.get("content").asText());
      for (JsonNode tc : delta.path("tool_calls")) {
        String[] c = calls.computeIfAbsent(tc.path("index").asInt(), i -> new String[] {null, null, "", "0"});
        if (tc.has("id")) c[0] = tc.get("id").asText();
        if (tc.path("function").has("name")) c[1] = tc.path("function").get("name").asText();
        String frag = tc.path("function").path("arguments").asText("");
        c[2] += frag;
        if (!frag.isEmpty()) c[3] = Integer.toString(Integer.parseInt(c[3]) + 1);
      }
    }
    List<Call> out = new ArrayList<>();
    for (String[] c : calls.values()) out.add(new Call(c[0], c[1], EmulatorTestBase.json(c[2]), Integer.parseInt(c[3])));
    return new Reply(200, null, out, text.toString(), finish, usage, 0);
  }

  private static Reply ollamaWhole(JsonNode j) {
    List<Call> calls = new ArrayList<>();
    for (JsonNode c : j.path("message").path("tool_calls")) {
      calls.add(new Call(null, c.path("function").path("name").asText(), c.path("function").path("arguments"), 1));
    }
    return new Reply(200, null, calls, j.path("message").path("content").asText(), j.path("done_reason").asText(), j, 0);
  }

  private static Reply ollamaStream(String body) throws Exception {
    List<Call> calls = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    String finish = null;
    JsonNode last = null;
    int toolChunks = 0;
    for (JsonNode n : EmulatorTestBase.ndjson(body)) {
      text.append(n.path("message").path("content").asText(""));
      if (n.path("message").path("tool_calls").size() > 0) toolChunks++;
      for (JsonNode c : n.path("message").path("tool_calls")) {
        calls.add(new Call(null, c.path("function").path("name").asText(), c.path("function").path("arguments"), 1));
      }
      if (n.path("done").asBoolean()) {
        finish = n.path("done_reason").asText();
        last = n;
      }
    }
    return new Reply(200, null, calls, text.toString(), finish, last, toolChunks);
  }

  /** The finish reason of a tool-call answer in each protocol (Ollama says "stop", as Ollama does). */
  static String toolFinish(P p) {
    return switch (p) {
      case ANTHROPIC -> "tool_use";
      case OPENAI -> "tool_calls";
      case OLLAMA -> "stop";
    };
  }

  static String textFinish(P p) {
    return p == P.ANTHROPIC ? "end_turn" : "stop";
  }

  /** Appends the assistant turn holding {@code calls} and a turn with one result per call (content {@code result:<name>:<i>}). */
  static void appendToolTurn(P p, ObjectNode body, List<Call> calls, List<String> results) {
    ArrayNode msgs = (ArrayNode) body.get("messages");
    switch (p) {
      case ANTHROPIC -> {
        ArrayNode content = msgs.addObject().put("role", "assistant").putArray("content");
        for (Call c : calls) content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name()).set("input", c.args());
        ArrayNode res = msgs.addObject().put("role", "user").putArray("content");
        for (int i = 0; i < calls.size(); i++) {
          res.addObject().put("type", "tool_result").put("tool_use_id", calls.get(i).id()).put("content", results.get(i));
        }
      }
      case OPENAI -> {
        ObjectNode a = msgs.addObject().put("role", "assistant");
        a.putNull("content");
        ArrayNode tcs = a.putArray("tool_calls");
        for (Call c : calls) {
          tcs.addObject().put("id", c.id()).put("type", "function").putObject("function").put("name", c.name()).put("arguments", c.args().toString());
        }
        for (int i = 0; i < calls.size(); i++) {
          msgs.addObject().put("role", "tool").put("tool_call_id", calls.get(i).id()).put("content", results.get(i));
        }
      }
      case OLLAMA -> {
        ObjectNode a = msgs.addObject().put("role", "assistant").put("content", "");
        ArrayNode tcs = a.putArray("tool_calls");
        for (Call c : calls) tcs.addObject().putObject("function").put("name", c.name()).set("arguments", c.args());
        for (int i = 0; i < calls.size(); i++) {
          msgs.addObject().put("role", "tool").put("tool_name", calls.get(i).name()).put("content", results.get(i));
        }
      }
    }
  }
}
