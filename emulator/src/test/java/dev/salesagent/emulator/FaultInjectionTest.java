package dev.salesagent.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FaultInjectionTest extends EmulatorTestBase {
  static final String PROMPT = "Write a short note about follow-ups.";

  /** Sends a chat request of the protocol with an x-emulator-fault header. */
  static RawHttp.Result call(String protocol, boolean stream, String fault, int timeoutMs) throws Exception {
    return call(protocol, stream, fault, timeoutMs, Map.of());
  }

  static RawHttp.Result call(String protocol, boolean stream, String fault, int timeoutMs, Map<String, String> extra) throws Exception {
    Map<String, String> h;
    String path;
    ObjectNode body;
    switch (protocol) {
      case "anthropic" -> {
        h = anthropicHeaders();
        path = "/anthropic/v1/messages";
        body = anthropicBody("claude-sonnet-4-5", stream, PROMPT);
      }
      case "openai" -> {
        h = openAiHeaders();
        path = "/openai/v1/chat/completions";
        body = openAiBody("gpt-oss-120b", stream, PROMPT);
      }
      default -> {
        h = new java.util.LinkedHashMap<>();
        path = "/ollama/api/chat";
        body = ollamaBody("llama3.2", stream, PROMPT);
      }
    }
    if (fault != null) h = with(h, "x-emulator-fault", fault);
    for (Map.Entry<String, String> e : extra.entrySet()) h = with(h, e.getKey(), e.getValue());
    return RawHttp.post(emu.port(), path, h, body.toString(), timeoutMs);
  }

  static String errorType(String protocol, String body) throws Exception {
    JsonNode j = json(body);
    return protocol.equals("ollama") ? j.path("error").asText() : j.path("error").path("type").asText();
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "openai", "ollama"})
  void rateLimitCarriesRetryAfterAndProviderBody(String p) throws Exception {
    RawHttp.Result r = call(p, false, "rate_limit", 5000, Map.of("x-emulator-retry-after", "7"));
    assertThat(r.status).isEqualTo(429);
    assertThat(r.header("retry-after")).isEqualTo("7");
    switch (p) {
      case "anthropic" -> {
        assertThat(errorType(p, r.body)).isEqualTo("rate_limit_error");
        assertThat(r.header("anthropic-ratelimit-input-tokens-remaining")).isEqualTo("0");
        assertThat(r.header("anthropic-ratelimit-input-tokens-reset")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(json(r.body).path("request_id").asText()).startsWith("req_");
      }
      case "openai" -> {
        assertThat(json(r.body).path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(r.header("x-ratelimit-remaining-requests")).isEqualTo("0");
        assertThat(r.header("x-ratelimit-reset-requests")).isEqualTo("7s");
      }
      default -> assertThat(json(r.body).path("error").isTextual()).isTrue();
    }
    // default Retry-After comes from the script
    emu.faults().retryAfterSeconds(3).next(p, Fault.RATE_LIMIT, 1);
    assertThat(call(p, true, null, 5000).header("retry-after")).isEqualTo("3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "openai", "ollama"})
  void overloaded(String p) throws Exception {
    RawHttp.Result r = call(p, false, "overloaded", 5000);
    switch (p) {
      case "anthropic" -> {
        assertThat(r.status).isEqualTo(529);
        assertThat(errorType(p, r.body)).isEqualTo("overloaded_error");
        assertThat(json(r.body).path("error").path("message").asText()).isEqualTo("Overloaded");
      }
      case "openai" -> {
        assertThat(r.status).isEqualTo(503);
        assertThat(errorType(p, r.body)).isEqualTo("server_error");
        assertThat(json(r.body).path("error").path("message").asText()).isEqualTo("The engine is currently overloaded, please try again later");
      }
      default -> {
        assertThat(r.status).isEqualTo(503);
        assertThat(r.body).isEqualTo("{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "openai", "ollama"})
  void httpErrorFaults(String p) throws Exception {
    RawHttp.Result s = call(p, true, "server_error", 5000);
    assertThat(s.status).isEqualTo(500);
    if (p.equals("anthropic")) assertThat(errorType(p, s.body)).isEqualTo("api_error");
    if (p.equals("openai")) assertThat(errorType(p, s.body)).isEqualTo("server_error");

    RawHttp.Result u = call(p, false, "unauthorized", 5000);
    assertThat(u.status).isEqualTo(401);
    if (p.equals("anthropic")) assertThat(errorType(p, u.body)).isEqualTo("authentication_error");

    RawHttp.Result n = call(p, false, "not_found", 5000);
    assertThat(n.status).isEqualTo(404);
    if (p.equals("anthropic")) assertThat(errorType(p, n.body)).isEqualTo("not_found_error");
    if (p.equals("openai")) assertThat(json(n.body).path("error").path("code").asText()).isEqualTo("model_not_found");
    if (p.equals("ollama")) assertThat(errorType(p, n.body)).isEqualTo("model \"llama3.2\" not found, try pulling it first");

    RawHttp.Result b = call(p, false, "bad_request", 5000);
    assertThat(b.status).isEqualTo(400);
    if (!p.equals("ollama")) assertThat(errorType(p, b.body)).isEqualTo("invalid_request_error");

    RawHttp.Result c = call(p, false, "context_length", 5000);
    assertThat(c.status).isEqualTo(400);
    if (p.equals("anthropic")) assertThat(json(c.body).path("error").path("message").asText()).isEqualTo("prompt is too long: 250000 tokens > 200000 maximum");
    if (p.equals("openai")) assertThat(json(c.body).path("error").path("code").asText()).isEqualTo("context_length_exceeded");
    if (p.equals("ollama")) assertThat(errorType(p, c.body)).contains("context length");

    RawHttp.Result f = call(p, false, "content_filtered", 5000);
    assertThat(f.status).isEqualTo(400);
    if (p.equals("anthropic")) assertThat(json(f.body).path("error").path("message").asText()).isEqualTo("Output blocked by content filtering policy");
    if (p.equals("openai")) {
      assertThat(json(f.body).path("error").path("code").asText()).isEqualTo("content_policy_violation");
      assertThat(errorType(p, f.body)).isEqualTo("invalid_request_error");
    }
    if (p.equals("ollama")) assertThat(f.body).isEqualTo("{\"error\":\"content blocked by safety policy\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "openai", "ollama"})
  void resetClosesWithoutAResponse(String p) throws Exception {
    RawHttp.Result r = call(p, false, "reset", 5000);
    assertThat(r.eof).isTrue();
    assertThat(r.raw).isEmpty();
    assertThat(r.status).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "openai", "ollama"})
  void timeoutNeverAnswers(String p) throws Exception {
    RawHttp.Result r = call(p, true, "timeout", 300);
    assertThat(r.timedOut).isTrue();
    assertThat(r.raw).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "openai", "ollama"})
  void streamCutSendsAboutHalfThenCloses(String p) throws Exception {
    RawHttp.Result full = call(p, true, null, 5000);
    RawHttp.Result r = call(p, true, "stream_cut", 5000);
    assertThat(r.status).isEqualTo(200);
    assertThat(r.eof).isTrue();
    assertThat(r.complete).isFalse();
    assertThat(r.body.length()).isBetween(full.body.length() / 5, full.body.length() * 4 / 5);
    assertThat(full.body).startsWith(stripIds(p, r.body, full.body));
    switch (p) {
      case "anthropic" -> {
        assertThat(r.body).doesNotContain("message_stop").doesNotContain("message_delta");
        assertThat(r.body).endsWith("\n\n");
        assertThat(anthropicStreamText(r.body)).isNotEmpty();
      }
      case "openai" -> {
        assertThat(r.body).doesNotContain("[DONE]").doesNotContain("finish_reason\":\"stop");
        assertThat(openAiStreamText(r.body)).isNotEmpty();
      }
      default -> {
        assertThat(r.body).doesNotContain("\"done\":true");
        assertThat(ollamaStreamText(r.body)).isNotEmpty();
      }
    }
  }

  /** The cut body with the ids of the full body, so prefixes can be compared. */
  private static String stripIds(String p, String cut, String full) {
    String idRe = switch (p) {
      case "anthropic" -> "msg_01EMU\\d+";
      case "openai" -> "chatcmpl-EMU\\d+";
      default -> "\"created_at\":\"[^\"]+\"";
    };
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(idRe).matcher(full);
    String id = m.find() ? m.group() : "";
    String out = cut.replaceAll(idRe, java.util.regex.Matcher.quoteReplacement(id));
    if (p.equals("openai")) out = out.replaceAll("\"created\":\\d+", full.replaceAll("(?s).*?(\"created\":\\d+).*", "$1"));
    if (p.equals("ollama")) {
      // created_at differs per line; compare only the text
      return "";
    }
    return out;
  }

  @Test
  void streamCutNonStreamingClosesMidBody() throws Exception {
    RawHttp.Result r = call("openai", false, "stream_cut", 5000);
    assertThat(r.status).isEqualTo(200);
    assertThat(r.eof).isTrue();
    assertThat(r.complete).isFalse();
    assertThat(Integer.parseInt(r.header("content-length"))).isGreaterThan(r.body.length());
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "openai", "ollama"})
  void streamStallGoesSilentWithTheConnectionOpen(String p) throws Exception {
    RawHttp.Result r = call(p, true, "stream_stall", 400);
    assertThat(r.status).isEqualTo(200);
    assertThat(r.timedOut).isTrue();
    assertThat(r.eof).isFalse();
    assertThat(r.complete).isFalse();
    assertThat(r.body).isNotEmpty();
    RawHttp.Result n = call(p, false, "stream_stall", 400);
    assertThat(n.status).isEqualTo(200);
    assertThat(n.timedOut).isTrue();
    assertThat(n.complete).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "openai", "ollama"})
  void malformed(String p) throws Exception {
    RawHttp.Result n = call(p, false, "malformed", 5000);
    assertThat(n.status).isEqualTo(200);
    assertThat(n.complete).isTrue();
    assertThatThrownBy(() -> json(n.body)).isInstanceOf(Exception.class);
    RawHttp.Result s = call(p, true, "malformed", 5000);
    assertThat(s.status).isEqualTo(200);
    assertThat(s.complete).isTrue();
    String garbage = p.equals("ollama") ? "\n{not json\n" : "\n\n" + (p.equals("anthropic") ? "event: content_block_delta\n" : "") + "data: {not json\n\n";
    assertThat(s.body).contains(garbage);
    // the stream continues to its normal terminator after the garbage event
    switch (p) {
      case "anthropic" -> assertThat(s.body).endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
      case "openai" -> assertThat(s.body).endsWith("data: [DONE]\n\n");
      default -> assertThat(s.body).contains("\"done\":true");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "openai", "ollama"})
  void streamErrorMidStream(String p) throws Exception {
    RawHttp.Result s = call(p, true, "stream_error", 5000);
    assertThat(s.status).isEqualTo(200);
    assertThat(s.complete).isTrue();
    switch (p) {
      case "anthropic" -> {
        List<SseEvent> ev = sse(s.body);
        SseEvent last = ev.get(ev.size() - 1);
        assertThat(last.event()).isEqualTo("error");
        assertThat(last.data()).isEqualTo("{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}");
        assertThat(ev.stream().filter(e -> e.event().equals("content_block_delta")).count()).isPositive();
        assertThat(s.body).doesNotContain("message_stop");
      }
      case "openai" -> {
        List<SseEvent> ev = sse(s.body);
        JsonNode last = json(ev.get(ev.size() - 1).data());
        assertThat(last.path("error").path("type").asText()).isEqualTo("server_error");
        assertThat(s.body).doesNotContain("[DONE]");
      }
      default -> {
        List<JsonNode> lines = ndjson(s.body);
        assertThat(lines.get(lines.size() - 1).path("error").asText()).isEqualTo("an error was encountered while running the model");
        assertThat(s.body).doesNotContain("\"done\":true");
      }
    }
    RawHttp.Result n = call(p, false, "stream_error", 5000);
    assertThat(n.status).isIn(500, 529);
  }

  @Test
  void scriptedFaultsAreFifoAndCounted() throws Exception {
    emu.faults().next("openai", Fault.OVERLOADED, 2).next("*", Fault.SERVER_ERROR, 1);
    assertThat(emu.faults().pending()).isEqualTo(3);
    assertThat(call("anthropic", false, null, 5000).status).isEqualTo(500); // "*" entry matches anthropic first
    assertThat(call("openai", false, null, 5000).status).isEqualTo(503);
    assertThat(call("openai", false, null, 5000).status).isEqualTo(503);
    assertThat(call("openai", false, null, 5000).status).isEqualTo(200);
    assertThat(emu.stats().faults("openai", Fault.OVERLOADED)).isEqualTo(2);
    assertThat(emu.stats().requests("openai", "gpt-oss-120b")).isEqualTo(3);
  }

  @Test
  void faultForModelOnlyHitsThatModel() throws Exception {
    emu.faults().nextForModel("llama3.2", Fault.NOT_FOUND, 1);
    assertThat(call("openai", false, null, 5000).status).isEqualTo(200);
    assertThat(call("ollama", false, null, 5000).status).isEqualTo(404);
    assertThat(call("ollama", false, null, 5000).status).isEqualTo(200);
  }

  @Test
  void alwaysUntilClearAndHeaderWins() throws Exception {
    emu.faults().always("anthropic", Fault.OVERLOADED);
    for (int i = 0; i < 3; i++) assertThat(call("anthropic", false, null, 5000).status).isEqualTo(529);
    assertThat(call("anthropic", false, "rate_limit", 5000).status).isEqualTo(429); // header > script
    assertThat(call("openai", false, null, 5000).status).isEqualTo(200);
    emu.faults().clear();
    assertThat(call("anthropic", false, null, 5000).status).isEqualTo(200);
  }

  @Test
  void faultControlOverHttp() throws Exception {
    RawHttp.Result a = RawHttp.post(emu.port(), "/_faults", Map.of(), "{\"protocol\":\"openai\",\"fault\":\"overloaded\",\"times\":2}", 5000);
    assertThat(a.status).isEqualTo(200);
    assertThat(json(a.body).path("pending").asInt()).isEqualTo(2);
    assertThat(call("openai", false, null, 5000).status).isEqualTo(503);
    RawHttp.post(emu.port(), "/_faults", Map.of(), "{\"protocol\":\"anthropic\",\"fault\":\"overloaded\",\"always\":true}", 5000);
    assertThat(call("anthropic", false, null, 5000).status).isEqualTo(529);
    RawHttp.post(emu.port(), "/_faults", Map.of(), "{\"clear\":true}", 5000);
    assertThat(call("anthropic", false, null, 5000).status).isEqualTo(200);
    assertThat(call("openai", false, null, 5000).status).isEqualTo(200);
    RawHttp.Result bad = RawHttp.post(emu.port(), "/_faults", Map.of(), "{\"fault\":\"nope\"}", 5000);
    assertThat(bad.status).isEqualTo(400);

    RawHttp.Result st = RawHttp.get(emu.port(), "/_stats", Map.of(), 5000);
    JsonNode stats = json(st.body);
    assertThat(stats.path("requests").path("openai").path("gpt-oss-120b").asInt()).isEqualTo(2);
    assertThat(stats.path("requests").path("anthropic").path("claude-sonnet-4-5").asInt()).isEqualTo(2);
    assertThat(stats.path("faults").path("anthropic").path("overloaded").asInt()).isEqualTo(1);
    assertThat(RawHttp.post(emu.port(), "/_reset", Map.of(), "", 5000).status).isEqualTo(200);
    assertThat(json(RawHttp.get(emu.port(), "/_stats", Map.of(), 5000).body).path("requests").size()).isZero();
    assertThat(emu.stats().total("*")).isZero();
  }
}
