package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

abstract class EmulatorTestBase {
  static final ObjectMapper M = new ObjectMapper();
  static Vertx vertx;
  static Emulator emu;

  /** One emulator shared by every test class of the run (started once; the JVM's exit ends it). */
  @BeforeAll
  static synchronized void startEmulator() throws Exception {
    if (emu == null) {
      vertx = Vertx.vertx();
      emu = Emulator.start(vertx, EmulatorOptions.defaults()).await(20, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void resetEmulator() {
    emu.faults().clear();
    emu.stats().reset();
  }

  static Map<String, String> anthropicHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-api-key", "test-key");
    h.put("anthropic-version", "2023-06-01");
    return h;
  }

  static Map<String, String> openAiHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("authorization", "Bearer test-key");
    return h;
  }

  static Map<String, String> with(Map<String, String> h, String k, String v) {
    Map<String, String> c = new LinkedHashMap<>(h);
    c.put(k, v);
    return c;
  }

  static ObjectNode anthropicBody(String model, boolean stream, String... userThenAssistant) {
    ObjectNode b = M.createObjectNode();
    b.put("model", model);
    b.put("max_tokens", 1024);
    if (stream) b.put("stream", true);
    ArrayNode msgs = b.putArray("messages");
    for (int i = 0; i < userThenAssistant.length; i++) {
      msgs.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", userThenAssistant[i]);
    }
    return b;
  }

  static ObjectNode openAiBody(String model, boolean stream, String... userThenAssistant) {
    ObjectNode b = M.createObjectNode();
    b.put("model", model);
    if (stream) b.put("stream", true);
    ArrayNode msgs = b.putArray("messages");
    for (int i = 0; i < userThenAssistant.length; i++) {
      msgs.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", userThenAssistant[i]);
    }
    return b;
  }

  static ObjectNode ollamaBody(String model, Boolean stream, String... userThenAssistant) {
    ObjectNode b = M.createObjectNode();
    b.put("model", model);
    if (stream != null) b.put("stream", stream);
    ArrayNode msgs = b.putArray("messages");
    for (int i = 0; i < userThenAssistant.length; i++) {
      msgs.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", userThenAssistant[i]);
    }
    return b;
  }

  /** Read timeout of the helpers below: they also run 16 at a time, on machines that may be busy with other builds. */
  static final int READ_TIMEOUT_MS = 30_000;

  static RawHttp.Result anthropic(ObjectNode body) throws Exception {
    return RawHttp.post(emu.port(), "/anthropic/v1/messages", anthropicHeaders(), body.toString(), READ_TIMEOUT_MS);
  }

  static RawHttp.Result openai(ObjectNode body) throws Exception {
    return RawHttp.post(emu.port(), "/openai/v1/chat/completions", openAiHeaders(), body.toString(), READ_TIMEOUT_MS);
  }

  static RawHttp.Result ollama(ObjectNode body) throws Exception {
    return RawHttp.post(emu.port(), "/ollama/api/chat", Map.of(), body.toString(), READ_TIMEOUT_MS);
  }

  static JsonNode json(String s) throws Exception {
    return M.readTree(s);
  }

  record SseEvent(String event, String data) {}

  /** Strict SSE split: every event is "event: X\n"? "data: Y\n" then a blank line. */
  static List<SseEvent> sse(String body) {
    List<SseEvent> out = new ArrayList<>();
    String[] blocks = body.split("\n\n", -1);
    for (int i = 0; i < blocks.length - 1; i++) {
      String ev = null, data = null;
      for (String line : blocks[i].split("\n")) {
        if (line.startsWith("event: ")) ev = line.substring(7);
        else if (line.startsWith("data: ")) data = line.substring(6);
        else throw new AssertionError("unexpected SSE line: " + line);
      }
      out.add(new SseEvent(ev, data));
    }
    if (!blocks[blocks.length - 1].isEmpty()) out.add(new SseEvent("<incomplete>", blocks[blocks.length - 1]));
    return out;
  }

  /** Text of an Anthropic SSE body (text deltas concatenated). */
  static String anthropicStreamText(String body) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (SseEvent e : sse(body)) {
      if ("content_block_delta".equals(e.event())) {
        JsonNode d = json(e.data()).path("delta");
        if (d.has("text")) sb.append(d.get("text").asText());
        if (d.has("partial_json")) sb.append(d.get("partial_json").asText());
      }
    }
    return sb.toString();
  }

  static String openAiStreamText(String body) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (SseEvent e : sse(body)) {
      if (e.data() == null || e.data().equals("[DONE]")) continue;
      JsonNode c = json(e.data()).path("choices");
      if (c.size() > 0) {
        JsonNode d = c.get(0).path("delta");
        if (d.path("content").isTextual()) sb.append(d.get("content").asText());
        JsonNode tc = d.path("tool_calls");
        if (tc.size() > 0) sb.append(tc.get(0).path("function").path("arguments").asText(""));
      }
    }
    return sb.toString();
  }

  static List<JsonNode> ndjson(String body) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : body.split("\n")) if (!line.isEmpty()) out.add(json(line));
    return out;
  }

  static String ollamaStreamText(String body) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (JsonNode n : ndjson(body)) sb.append(n.path("message").path("content").asText(""));
    return sb.toString();
  }
}
