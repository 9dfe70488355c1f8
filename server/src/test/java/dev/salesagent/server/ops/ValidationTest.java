package dev.salesagent.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Input limits and validation: the right 4xx with a message that says what to fix. */
class ValidationTest {
  static GatewayHarness h;
  static final String K = GatewayHarness.ADMIN_KEY;

  @BeforeAll
  static void up() {
    h = new GatewayHarness("", GatewayOptions.defaults().withPort(0).withEventLoops(2).withLimits(64 * 1024, 5, 1000, 2500));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static JsonNode err(HttpResponse<String> r) {
    return WireJson.parse(r.body()).get("error");
  }

  static String chat(String extra, String messages) {
    return "{\"model\":\"auto\"" + extra + ",\"messages\":" + messages + "}";
  }

  static final String ONE = "[{\"role\":\"user\",\"content\":\"hi\"}]";

  @Test
  void bodyTooLargeIs413() {
    String big = "x".repeat(70 * 1024);
    HttpResponse<String> r = h.post("/v1/chat/completions", K, chat("", "[{\"role\":\"user\",\"content\":\"" + big + "\"}]"));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(err(r).get("code").asText()).isEqualTo("request_too_large");
    assertThat(err(r).get("message").asText()).contains("65536 bytes");
    HttpResponse<String> a = h.post("/v1/messages", K, "{\"model\":\"auto\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}");
    assertThat(a.statusCode()).isEqualTo(413);
    assertThat(a.body()).contains("\"request_too_large\"");
  }

  @Test
  void invalidJsonAndFields() {
    HttpResponse<String> r = h.post("/v1/chat/completions", K, "{not json");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(err(r).get("message").asText()).contains("not valid JSON");

    r = h.post("/v1/chat/completions", K, "{\"messages\":" + ONE + "}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(err(r).get("param").asText()).isEqualTo("model");

    r = h.post("/v1/chat/completions", K, chat("", "[]"));
    assertThat(err(r).get("message").asText()).contains("at least one message");

    r = h.post("/v1/chat/completions", K, chat(",\"temperature\":7", ONE));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(err(r).get("param").asText()).isEqualTo("temperature");
    assertThat(err(r).get("type").asText()).isEqualTo("invalid_request_error");

    r = h.post("/v1/chat/completions", K, chat(",\"max_tokens\":0", ONE));
    assertThat(err(r).get("param").asText()).isEqualTo("max_tokens");

    r = h.post("/v1/chat/completions", K, chat(",\"stop\":[1,2]", ONE));
    assertThat(err(r).get("param").asText()).isEqualTo("stop");

    r = h.post("/v1/chat/completions", K, chat(",\"response_format\":{\"type\":\"xml\"}", ONE));
    assertThat(err(r).get("param").asText()).isEqualTo("response_format.type");

    r = h.post("/v1/chat/completions", K, chat("", "[{\"role\":\"wizard\",\"content\":\"x\"}]"));
    assertThat(err(r).get("param").asText()).isEqualTo("messages[0].role");

    r = h.post("/v1/chat/completions", K, chat(",\"stream\":\"yes\"", ONE));
    assertThat(err(r).get("param").asText()).isEqualTo("stream");

    r = h.post("/v1/chat/completions", K, chat("", ONE), "x-sales-agent-strategy", "fastest");
    assertThat(err(r).get("param").asText()).isEqualTo("x-sales-agent-strategy");
  }

  @Test
  void messageCountAndLengthLimits() {
    StringBuilder six = new StringBuilder("[");
    for (int i = 0; i < 6; i++) six.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"m\"}");
    HttpResponse<String> r = h.post("/v1/chat/completions", K, chat("", six.append("]").toString()));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(err(r).get("code").asText()).isEqualTo("too_many_messages");
    assertThat(err(r).get("message").asText()).contains("at most 5");

    r = h.post("/v1/chat/completions", K, chat("", "[{\"role\":\"user\",\"content\":\"" + "y".repeat(1001) + "\"}]"));
    assertThat(err(r).get("code").asText()).isEqualTo("message_too_long");

    String m = "{\"role\":\"user\",\"content\":\"" + "z".repeat(900) + "\"}";
    r = h.post("/v1/chat/completions", K, chat("", "[" + m + "," + m + "," + m + "]"));
    assertThat(err(r).get("code").asText()).isEqualTo("messages_too_long");
  }

  @Test
  void unknownModelUnknownPathWrongMethod() {
    HttpResponse<String> r = h.post("/v1/chat/completions", K, "{\"model\":\"nope/nothing\",\"messages\":" + ONE + "}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(err(r).get("code").asText()).isEqualTo("model_not_found");
    assertThat(h.get("/v1/nothing", K).statusCode()).isEqualTo(404);
    HttpResponse<String> wm = h.get("/v1/chat/completions", K);
    assertThat(wm.statusCode()).isEqualTo(405);
    assertThat(wm.headers().firstValue("allow")).contains("POST");
  }

  @Test
  void requestIdIsHonouredOrGenerated() {
    HttpResponse<String> r = h.post("/v1/chat/completions", K, chat(",\"max_tokens\":16", ONE), "x-request-id", "my-trace.42");
    assertThat(r.headers().firstValue("x-request-id")).contains("my-trace.42");
    HttpResponse<String> bad = h.post("/v1/chat/completions", K, chat(",\"max_tokens\":16", ONE), "x-request-id", "no spaces allowed");
    assertThat(bad.headers().firstValue("x-request-id").orElseThrow()).startsWith("req_");
  }
}
