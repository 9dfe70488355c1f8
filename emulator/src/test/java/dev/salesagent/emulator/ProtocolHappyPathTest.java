package dev.salesagent.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolHappyPathTest extends EmulatorTestBase {
  static final String PROMPT = "Why is the sky blue?";

  @Test
  void anthropicNonStreaming() throws Exception {
    RawHttp.Result r = anthropic(anthropicBody("claude-sonnet-4-5-20250929", false, PROMPT));
    assertThat(r.status).isEqualTo(200);
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.header("request-id")).startsWith("req_");
    JsonNode b = json(r.body);
    assertThat(b.path("id").asText()).startsWith("msg_");
    assertThat(b.path("type").asText()).isEqualTo("message");
    assertThat(b.path("role").asText()).isEqualTo("assistant");
    assertThat(b.path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(b.path("content").get(0).path("type").asText()).isEqualTo("text");
    String text = b.path("content").get(0).path("text").asText();
    assertThat(TextGenerator.countWords(text)).isBetween(20, 80);
    assertThat(b.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(b.get("stop_sequence").isNull()).isTrue();
    JsonNode u = b.path("usage");
    assertThat(u.path("input_tokens").asInt()).isEqualTo(3 + (PROMPT.length() + 3) / 4 + 4);
    assertThat(u.path("output_tokens").asInt()).isEqualTo(TextGenerator.pieces(text).size());
    assertThat(u.path("cache_read_input_tokens").asInt()).isZero();
    assertThat(u.path("cache_creation").path("ephemeral_5m_input_tokens").asInt()).isZero();
    assertThat(u.path("service_tier").asText()).isEqualTo("standard");
  }

  @Test
  void anthropicStreamingFraming() throws Exception {
    RawHttp.Result r = anthropic(anthropicBody("claude-haiku-4-5-20251001", true, PROMPT));
    assertThat(r.status).isEqualTo(200);
    assertThat(r.complete).isTrue();
    assertThat(r.header("content-type")).isEqualTo("text/event-stream; charset=utf-8");
    List<SseEvent> ev = sse(r.body);
    assertThat(ev.get(0).event()).isEqualTo("message_start");
    assertThat(ev.get(1).event()).isEqualTo("content_block_start");
    assertThat(ev.get(2).event()).isEqualTo("ping");
    assertThat(ev.get(2).data()).isEqualTo("{\"type\": \"ping\"}");
    int n = ev.size();
    assertThat(ev.get(n - 3).event()).isEqualTo("content_block_stop");
    assertThat(ev.get(n - 2).event()).isEqualTo("message_delta");
    assertThat(ev.get(n - 1).event()).isEqualTo("message_stop");
    assertThat(ev.get(n - 1).data()).isEqualTo("{\"type\":\"message_stop\"}");
    for (SseEvent e : ev.subList(3, n - 3)) assertThat(e.event()).isEqualTo("content_block_delta");
    for (SseEvent e : ev) {
      if (!e.event().equals("ping")) assertThat(json(e.data()).path("type").asText()).isEqualTo(e.event());
    }
    JsonNode start = json(ev.get(0).data()).path("message");
    assertThat(start.path("model").asText()).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(start.path("usage").path("output_tokens").asInt()).isEqualTo(1);
    assertThat(start.path("content").size()).isZero();
    JsonNode delta = json(ev.get(n - 2).data());
    assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(n - 6);
    assertThat(delta.path("usage").path("input_tokens").asInt()).isEqualTo(start.path("usage").path("input_tokens").asInt());
    // same text as the non-streaming answer
    String whole = json(anthropic(anthropicBody("claude-haiku-4-5-20251001", false, PROMPT)).body).path("content").get(0).path("text").asText();
    assertThat(anthropicStreamText(r.body)).isEqualTo(whole);
    assertThat(r.body).endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }

  @Test
  void openAiNonStreaming() throws Exception {
    RawHttp.Result r = openai(openAiBody("gpt-oss-120b", false, PROMPT));
    assertThat(r.status).isEqualTo(200);
    assertThat(r.header("content-type")).isEqualTo("application/json");
    JsonNode b = json(r.body);
    assertThat(b.path("id").asText()).startsWith("chatcmpl-");
    assertThat(b.path("object").asText()).isEqualTo("chat.completion");
    assertThat(b.path("created").asLong()).isPositive();
    assertThat(b.path("model").asText()).isEqualTo("gpt-oss-120b");
    JsonNode c = b.path("choices").get(0);
    assertThat(c.path("index").asInt()).isZero();
    assertThat(c.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(c.path("message").path("role").asText()).isEqualTo("assistant");
    String text = c.path("message").path("content").asText();
    JsonNode u = b.path("usage");
    assertThat(u.path("completion_tokens").asInt()).isEqualTo(TextGenerator.pieces(text).size());
    assertThat(u.path("total_tokens").asInt()).isEqualTo(u.path("prompt_tokens").asInt() + u.path("completion_tokens").asInt());
    assertThat(u.path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
  }

  @Test
  void openAiStreamingWithoutUsage() throws Exception {
    RawHttp.Result r = openai(openAiBody("deepseek-flash", true, PROMPT));
    assertThat(r.status).isEqualTo(200);
    assertThat(r.complete).isTrue();
    assertThat(r.header("content-type")).startsWith("text/event-stream");
    List<SseEvent> ev = sse(r.body);
    for (SseEvent e : ev) assertThat(e.event()).isNull();
    assertThat(ev.get(ev.size() - 1).data()).isEqualTo("[DONE]");
    JsonNode first = json(ev.get(0).data());
    assertThat(first.path("object").asText()).isEqualTo("chat.completion.chunk");
    assertThat(first.path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
    assertThat(first.has("usage")).isFalse();
    JsonNode fin = json(ev.get(ev.size() - 2).data());
    assertThat(fin.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(fin.path("choices").get(0).path("delta").size()).isZero();
    for (SseEvent e : ev.subList(1, ev.size() - 2)) {
      JsonNode ch = json(e.data());
      assertThat(ch.path("id").asText()).isEqualTo(first.path("id").asText());
      assertThat(ch.path("choices").get(0).path("finish_reason").isNull()).isTrue();
    }
    String whole = json(openai(openAiBody("deepseek-flash", false, PROMPT)).body).path("choices").get(0).path("message").path("content").asText();
    assertThat(openAiStreamText(r.body)).isEqualTo(whole);
    assertThat(r.body).endsWith("}\n\ndata: [DONE]\n\n");
  }

  @Test
  void openAiStreamingWithUsageChunk() throws Exception {
    ObjectNode body = openAiBody("gpt-oss-120b", true, PROMPT);
    body.putObject("stream_options").put("include_usage", true);
    RawHttp.Result r = RawHttp.post(emu.port(), "/openai/v1/chat/completions", openAiHeaders(), body.toString(), 5000);
    List<SseEvent> ev = sse(r.body);
    assertThat(ev.get(ev.size() - 1).data()).isEqualTo("[DONE]");
    JsonNode usage = json(ev.get(ev.size() - 2).data());
    assertThat(usage.path("choices").isArray()).isTrue();
    assertThat(usage.path("choices").size()).isZero();
    int contentChunks = ev.size() - 4; // role, ..., finish, usage, [DONE]
    assertThat(usage.path("usage").path("completion_tokens").asInt()).isEqualTo(contentChunks);
    for (SseEvent e : ev.subList(0, ev.size() - 2)) {
      JsonNode ch = json(e.data());
      assertThat(ch.has("usage")).isTrue();
      assertThat(ch.get("usage").isNull()).isTrue();
    }
  }

  @Test
  void cerebrasRootAndDeepSeekPathsBothWork() throws Exception {
    RawHttp.Result a = RawHttp.post(emu.port(), "/openai/v1/chat/completions", openAiHeaders(), openAiBody("gpt-oss-120b", false, PROMPT).toString(), 5000);
    RawHttp.Result b = RawHttp.post(emu.port(), "/openai/chat/completions", openAiHeaders(), openAiBody("gpt-oss-120b", false, PROMPT).toString(), 5000);
    assertThat(a.status).isEqualTo(200);
    assertThat(b.status).isEqualTo(200);
    assertThat(emu.openAiBaseUrl()).isEqualTo("http://127.0.0.1:" + emu.port() + "/openai/v1");
    assertThat(emu.openAiRootUrl()).isEqualTo("http://127.0.0.1:" + emu.port() + "/openai");
    assertThat(emu.anthropicBaseUrl()).isEqualTo("http://127.0.0.1:" + emu.port() + "/anthropic");
    assertThat(emu.ollamaBaseUrl()).isEqualTo("http://127.0.0.1:" + emu.port() + "/ollama");
  }

  @Test
  void ollamaNonStreaming() throws Exception {
    RawHttp.Result r = ollama(ollamaBody("llama3.2", false, PROMPT));
    assertThat(r.status).isEqualTo(200);
    assertThat(r.header("content-type")).isEqualTo("application/json; charset=utf-8");
    assertThat(r.body).endsWith("}\n");
    JsonNode b = json(r.body);
    assertThat(b.path("model").asText()).isEqualTo("llama3.2");
    assertThat(b.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
    assertThat(b.path("done").asBoolean()).isTrue();
    assertThat(b.path("done_reason").asText()).isEqualTo("stop");
    assertThat(b.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(b.path("eval_count").asInt()).isEqualTo(TextGenerator.pieces(b.path("message").path("content").asText()).size());
    assertThat(b.path("prompt_eval_count").asInt()).isPositive();
    for (String k : List.of("total_duration", "load_duration", "prompt_eval_duration", "eval_duration")) {
      assertThat(b.path(k).asLong()).as(k).isPositive();
    }
  }

  @Test
  void ollamaStreamsByDefault() throws Exception {
    RawHttp.Result r = ollama(ollamaBody("llama3.2", null, PROMPT));
    assertThat(r.status).isEqualTo(200);
    assertThat(r.complete).isTrue();
    assertThat(r.header("content-type")).isEqualTo("application/x-ndjson");
    assertThat(r.body).endsWith("}\n");
    List<JsonNode> lines = ndjson(r.body);
    for (JsonNode l : lines.subList(0, lines.size() - 1)) {
      assertThat(l.path("done").asBoolean()).isFalse();
      assertThat(l.has("done_reason")).isFalse();
    }
    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.path("done").asBoolean()).isTrue();
    assertThat(last.path("done_reason").asText()).isEqualTo("stop");
    assertThat(last.path("message").path("content").asText()).isEmpty();
    assertThat(last.path("eval_count").asInt()).isEqualTo(lines.size() - 1);
    assertThat(last.path("prompt_eval_count").asInt()).isPositive();
    assertThat(last.path("eval_duration").asLong()).isPositive();
    String whole = json(ollama(ollamaBody("llama3.2", false, PROMPT)).body).path("message").path("content").asText();
    assertThat(ollamaStreamText(r.body)).isEqualTo(whole);
  }

  @Test
  void healthEndpoints() throws Exception {
    RawHttp.Result a = RawHttp.get(emu.port(), "/anthropic/v1/models", anthropicHeaders(), 5000);
    assertThat(a.status).isEqualTo(200);
    assertThat(json(a.body).path("data").get(0).path("type").asText()).isEqualTo("model");
    assertThat(RawHttp.get(emu.port(), "/anthropic/v1/models", Map.of(), 5000).status).isEqualTo(401);
    RawHttp.Result o = RawHttp.get(emu.port(), "/openai/v1/models", openAiHeaders(), 5000);
    assertThat(o.status).isEqualTo(200);
    assertThat(json(o.body).path("object").asText()).isEqualTo("list");
    assertThat(RawHttp.get(emu.port(), "/openai/models", openAiHeaders(), 5000).status).isEqualTo(200);
    assertThat(RawHttp.get(emu.port(), "/openai/v1/models", Map.of(), 5000).status).isEqualTo(401);
    RawHttp.Result t = RawHttp.get(emu.port(), "/ollama/api/tags", Map.of(), 5000);
    assertThat(t.status).isEqualTo(200);
    JsonNode tags = json(t.body).path("models");
    assertThat(tags.size()).isEqualTo(3);
    assertThat(tags.get(0).path("name").asText()).isEqualTo("llama3.2:latest");
    assertThat(tags.get(0).path("details").path("families").get(0).asText()).isEqualTo("llama");
    // identical to the fixture's model list shape
    JsonNode fixture = M.readTree(new java.io.File(fixtures(), "ollama.tags.json"));
    assertThat(json(t.body)).isEqualTo(fixture);
  }

  @Test
  void extraEndpoints() throws Exception {
    ObjectNode b = anthropicBody("claude-haiku-4-5", false, PROMPT);
    b.remove("max_tokens");
    RawHttp.Result ct = RawHttp.post(emu.port(), "/anthropic/v1/messages/count_tokens", anthropicHeaders(), b.toString(), 5000);
    assertThat(ct.status).isEqualTo(200);
    int counted = json(ct.body).path("input_tokens").asInt();
    assertThat(counted).isEqualTo(json(anthropic(anthropicBody("claude-haiku-4-5", false, PROMPT)).body).path("usage").path("input_tokens").asInt());
    assertThat(json(RawHttp.get(emu.port(), "/ollama/api/version", Map.of(), 5000).body).path("version").isTextual()).isTrue();
    assertThat(RawHttp.get(emu.port(), "/ollama", Map.of(), 5000).body).isEqualTo("Ollama is running");
    assertThat(RawHttp.get(emu.port(), "/_health", Map.of(), 5000).status).isEqualTo(200);
    RawHttp.Result f = RawHttp.post(emu.port(), "/_faults", Map.of(), "{\"model\":\"qwen3:8b\",\"fault\":\"not_found\"}", 5000);
    assertThat(f.status).isEqualTo(200);
    assertThat(ollama(ollamaBody("llama3.2", false, PROMPT)).status).isEqualTo(200);
    assertThat(ollama(ollamaBody("qwen3:8b", false, PROMPT)).status).isEqualTo(404);
  }

  static java.io.File fixtures() {
    String p = System.getProperty("shared.fixtures", "/work/shared/fixtures");
    java.io.File f = new java.io.File(p);
    return f.isDirectory() ? f : new java.io.File("/work/shared/fixtures");
  }

  @Test
  void unknownPathsUseTheProviderErrorShape() throws Exception {
    RawHttp.Result a = RawHttp.get(emu.port(), "/anthropic/v1/nope", anthropicHeaders(), 5000);
    assertThat(a.status).isEqualTo(404);
    assertThat(json(a.body).path("error").path("type").asText()).isEqualTo("not_found_error");
    assertThat(json(a.body).path("type").asText()).isEqualTo("error");
    RawHttp.Result o = RawHttp.get(emu.port(), "/openai/v1/nope", openAiHeaders(), 5000);
    assertThat(o.status).isEqualTo(404);
    assertThat(json(o.body).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    RawHttp.Result l = RawHttp.get(emu.port(), "/ollama/api/nope", Map.of(), 5000);
    assertThat(l.status).isEqualTo(404);
    assertThat(json(l.body).path("error").isTextual()).isTrue();
  }

  @Test
  void authIsCheckedLikeTheRealServices() throws Exception {
    RawHttp.Result noKey = RawHttp.post(emu.port(), "/anthropic/v1/messages", Map.of("anthropic-version", "2023-06-01"),
        anthropicBody("claude-haiku-4-5", false, PROMPT).toString(), 5000);
    assertThat(noKey.status).isEqualTo(401);
    assertThat(json(noKey.body).path("error").path("type").asText()).isEqualTo("authentication_error");
    assertThat(json(noKey.body).path("request_id").asText()).startsWith("req_");
    RawHttp.Result noVersion = RawHttp.post(emu.port(), "/anthropic/v1/messages", Map.of("x-api-key", "k"),
        anthropicBody("claude-haiku-4-5", false, PROMPT).toString(), 5000);
    assertThat(noVersion.status).isEqualTo(401);
    assertThat(json(noVersion.body).path("error").path("type").asText()).isEqualTo("authentication_error");
    RawHttp.Result noBearer = RawHttp.post(emu.port(), "/openai/v1/chat/completions", Map.of(), openAiBody("gpt-oss-120b", false, PROMPT).toString(), 5000);
    assertThat(noBearer.status).isEqualTo(401);
    assertThat(json(noBearer.body).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    RawHttp.Result emptyBearer = RawHttp.post(emu.port(), "/openai/v1/chat/completions", Map.of("authorization", "Bearer "),
        openAiBody("gpt-oss-120b", false, PROMPT).toString(), 5000);
    assertThat(emptyBearer.status).isEqualTo(401);
    assertThat(ollama(ollamaBody("llama3.2", false, PROMPT)).status).isEqualTo(200);
  }

  @Test
  void validationErrors() throws Exception {
    ObjectNode noMax = anthropicBody("claude-haiku-4-5", false, PROMPT);
    noMax.remove("max_tokens");
    RawHttp.Result r = anthropic(noMax);
    assertThat(r.status).isEqualTo(400);
    assertThat(json(r.body).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    RawHttp.Result bad = RawHttp.post(emu.port(), "/openai/v1/chat/completions", openAiHeaders(), "{nope", 5000);
    assertThat(bad.status).isEqualTo(400);
    RawHttp.Result noModel = RawHttp.post(emu.port(), "/ollama/api/chat", Map.of(), "{\"messages\":[]}", 5000);
    assertThat(noModel.status).isEqualTo(400);
    assertThat(json(noModel.body).path("error").asText()).isEqualTo("model is required");
  }
}
