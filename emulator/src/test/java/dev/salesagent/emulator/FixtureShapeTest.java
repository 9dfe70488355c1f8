package dev.salesagent.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The emulator's bodies have the same field layout (names, order, nesting) as the shared wire fixtures. */
class FixtureShapeTest extends EmulatorTestBase {

  /** Field paths in document order, e.g. "usage.cache_creation.ephemeral_5m_input_tokens"; arrays use their first element. */
  static List<String> paths(JsonNode n) {
    List<String> out = new ArrayList<>();
    walk(n, "", out);
    return out;
  }

  private static void walk(JsonNode n, String prefix, List<String> out) {
    if (n.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
        out.add(p);
        walk(e.getValue(), p, out);
      }
    } else if (n.isArray() && n.size() > 0) {
      walk(n.get(0), prefix + "[]", out);
    }
  }

  static String fixture(String name) throws Exception {
    return Files.readString(new File(ProtocolHappyPathTest.fixtures(), name).toPath(), StandardCharsets.UTF_8);
  }

  @Test
  void anthropicMessageMatchesFixtureLayout() throws Exception {
    JsonNode fx = json(fixture("anthropic.messages.ok.json"));
    JsonNode em = json(anthropic(anthropicBody("claude-sonnet-4-5-20250929", false, "Why is the sky blue?")).body);
    assertThat(paths(em)).isEqualTo(paths(fx));
  }

  @Test
  void anthropicStreamMatchesFixtureLayout() throws Exception {
    List<SseEvent> fx = sse(fixture("anthropic.stream.ok.sse"));
    List<SseEvent> em = sse(anthropic(anthropicBody("claude-haiku-4-5-20251001", true, "Capital of France?")).body);
    // same event sequence modulo the number of deltas
    assertThat(em.get(0).event()).isEqualTo(fx.get(0).event());
    assertThat(paths(json(em.get(0).data()))).isEqualTo(paths(json(fx.get(0).data())));
    assertThat(em.get(1).data()).isEqualTo(fx.get(1).data()); // content_block_start, byte-identical
    assertThat(em.get(2).data()).isEqualTo(fx.get(2).data()); // ping, byte-identical
    assertThat(paths(json(em.get(3).data()))).isEqualTo(paths(json(fx.get(3).data())));
    for (int k = 1; k <= 3; k++) {
      SseEvent e = em.get(em.size() - k), f = fx.get(fx.size() - k);
      assertThat(e.event()).isEqualTo(f.event());
      assertThat(paths(json(e.data()))).isEqualTo(paths(json(f.data())));
    }
    assertThat(em.get(em.size() - 1).data()).isEqualTo(fx.get(fx.size() - 1).data());
  }

  @Test
  void anthropicErrorsMatchFixtureLayout() throws Exception {
    String fx = fixture("anthropic.error.529.http");
    JsonNode fxBody = json(fx.substring(fx.indexOf("\r\n\r\n") + 4));
    RawHttp.Result r = FaultInjectionTest.call("anthropic", false, "overloaded", 5000);
    assertThat(paths(json(r.body))).isEqualTo(paths(fxBody));
    assertThat(json(r.body).path("error")).isEqualTo(fxBody.path("error"));
    String fx429 = fixture("anthropic.error.429.http");
    RawHttp.Result r429 = FaultInjectionTest.call("anthropic", false, "rate_limit", 5000);
    for (String line : fx429.substring(0, fx429.indexOf("\r\n\r\n")).split("\r\n")) {
      String h = line.split(":")[0];
      if (h.startsWith("anthropic-ratelimit-") || h.equals("retry-after") || h.equals("request-id")) {
        assertThat(r429.header(h)).as(h).isNotNull();
      }
    }
  }

  @Test
  void openAiLayouts() throws Exception {
    JsonNode em = json(openai(openAiBody("gpt-5-mini-2025-08-07", false, "Capital of France?")).body);
    List<String> fx = paths(json(fixture("openai.chat.ok.json")));
    // the fixture is a reasoning model with audio/prediction counters; everything we emit is in it, in its order
    List<String> ours = paths(em);
    assertThat(fx).containsSubsequence(ours);
    ObjectNode b = openAiBody("gpt-5-mini-2025-08-07", true, "Capital of France?");
    b.putObject("stream_options").put("include_usage", true);
    List<SseEvent> es = sse(openai(b).body);
    List<SseEvent> fs = sse(fixture("openai.stream.usage.sse"));
    for (int k : new int[] {0, 1}) assertThat(paths(json(es.get(k).data()))).isEqualTo(paths(json(fs.get(k).data())));
    assertThat(paths(json(es.get(es.size() - 3).data()))).isEqualTo(paths(json(fs.get(fs.size() - 3).data()))); // finish chunk
    assertThat(paths(json(fs.get(fs.size() - 2).data()))).containsSubsequence(paths(json(es.get(es.size() - 2).data()))); // usage chunk
    assertThat(es.get(es.size() - 1).data()).isEqualTo("[DONE]");
    String fx429 = fixture("openai.error.429.http");
    JsonNode fxBody = json(fx429.substring(fx429.indexOf("\r\n\r\n") + 4));
    RawHttp.Result r = FaultInjectionTest.call("openai", false, "rate_limit", 5000);
    assertThat(paths(json(r.body))).isEqualTo(paths(fxBody));
    for (String h : List.of("x-ratelimit-limit-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-requests",
        "x-ratelimit-remaining-tokens", "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens", "retry-after", "x-request-id")) {
      assertThat(r.header(h)).as(h).isNotNull();
    }
  }

  @Test
  void ollamaLayouts() throws Exception {
    JsonNode em = json(ollama(ollamaBody("llama3.2", false, "Why is the sky blue?")).body);
    assertThat(paths(em)).isEqualTo(paths(json(fixture("ollama.chat.ok.json"))));
    List<JsonNode> es = ndjson(ollama(ollamaBody("llama3.2", true, "Why is the sky blue?")).body);
    List<JsonNode> fs = ndjson(fixture("ollama.chat.stream.ndjson"));
    assertThat(paths(es.get(0))).isEqualTo(paths(fs.get(0)));
    assertThat(paths(es.get(es.size() - 1))).isEqualTo(paths(fs.get(fs.size() - 1)));
    String fx404 = fixture("ollama.error.404.http");
    RawHttp.Result r = FaultInjectionTest.call("ollama", false, "not_found", 5000);
    String expected = fx404.substring(fx404.indexOf("\r\n\r\n") + 4).replace("llama3.3", "llama3.2");
    assertThat(r.body).isEqualTo(expected);
    assertThat(r.header("content-type")).isEqualTo("application/json; charset=utf-8");
  }
}
