package dev.salesagent.server.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/responses} over loopback: what the shared chat flow gives it, and how its answers end. */
class ResponsesApiTest {
  static GatewayHarness h;

  @BeforeAll
  static void up() {
    // tokens a few ms apart, so a stream's first bytes leave before a later failure (else both go in one write)
    h = new GatewayHarness("", GatewayOptions.defaults().withPort(0).withEventLoops(2),
        EmulatorOptions.defaults().withInterTokenDelay(10));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  @AfterEach
  void clear() {
    h.emulator.faults().clear();
  }

  @Test
  void aWholeAnswerCarriesTheGatewayHeadersUsageAndEcho() {
    HttpResponse<String> r = h.post("/v1/responses", GatewayHarness.ADMIN_KEY, "{\"model\":\"cerebras/gpt-oss-120b\","
        + "\"input\":\"Say hello to Ada.\",\"metadata\":{\"run\":\"7\"},\"temperature\":0.3}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-sales-agent-provider")).contains("cerebras");
    assertThat(r.headers().firstValue("x-sales-agent-attempts")).contains("1");
    assertThat(r.headers().firstValue("x-sales-agent-cost-usd").orElseThrow()).matches("[0-9.]+");
    JsonNode n = WireJson.parse(r.body());
    assertThat(n.path("id").asText()).startsWith("resp_");
    assertThat(n.path("status").asText()).isEqualTo("completed");
    assertThat(n.path("store").asBoolean(true)).isFalse();
    assertThat(n.path("previous_response_id").isNull()).isTrue();
    assertThat(n.path("metadata").path("run").asText()).isEqualTo("7");
    assertThat(n.path("temperature").asDouble()).isEqualTo(0.3);
    assertThat(n.path("output").path(0).path("content").path(0).path("text").asText()).isNotBlank();
    assertThat(n.path("usage").path("total_tokens").asInt())
        .isEqualTo(n.path("usage").path("input_tokens").asInt() + n.path("usage").path("output_tokens").asInt());
    assertThat(n.path("sales_agent").path("provider").asText()).isEqualTo("cerebras");
  }

  @Test
  void theTokenLimitMakesAnIncompleteResponse() {
    for (boolean stream : new boolean[] {false, true}) {
      HttpResponse<String> r = h.post("/v1/responses", GatewayHarness.ADMIN_KEY, "{\"model\":\"cerebras/gpt-oss-120b\","
          + "\"input\":\"Write a long letter to Ada.\",\"max_output_tokens\":3,\"stream\":" + stream + "}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode resp;
      if (stream) {
        List<String> events = GatewayHarness.sseEvents(r.body());
        assertThat(events.get(events.size() - 1)).isEqualTo("response.incomplete");
        List<String> data = GatewayHarness.sseData(r.body());
        resp = WireJson.parse(data.get(data.size() - 1)).path("response");
      } else {
        resp = WireJson.parse(r.body());
      }
      assertThat(resp.path("status").asText()).isEqualTo("incomplete");
      assertThat(resp.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
      assertThat(resp.path("usage").path("output_tokens").asInt()).isEqualTo(3);
    }
  }

  @Test
  void aStreamThatFailsAfterItsFirstByteEndsWithErrorThenResponseFailed() {
    // one pinned target: content already went out, so nothing can take over and the client must be told
    h.emulator.faults().always("openai", Fault.STREAM_ERROR);
    HttpResponse<String> r = h.post("/v1/responses", GatewayHarness.ADMIN_KEY,
        "{\"model\":\"cerebras/gpt-oss-120b\",\"input\":\"Write a long letter to Ada.\",\"stream\":true}");
    if (r.statusCode() != 200) {
      // the whole upstream stream reached us in one read (a starved event loop): then nothing had left yet, and the
      // failure is a plain error response — also never a success
      assertThat(r.statusCode()).as(r.body()).isGreaterThanOrEqualTo(500);
      assertThat(WireJson.parse(r.body()).path("error").path("message").asText()).isNotBlank();
      return;
    }
    List<String> events = GatewayHarness.sseEvents(r.body());
    assertThat(events).startsWith("response.created", "response.in_progress").contains("response.output_text.delta");
    assertThat(events.subList(events.size() - 2, events.size())).containsExactly("error", "response.failed");
    List<String> data = GatewayHarness.sseData(r.body());
    JsonNode failed = WireJson.parse(data.get(data.size() - 1)).path("response");
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.path("error").path("message").asText()).isNotBlank();
    for (int i = 0; i < data.size(); i++) assertThat(WireJson.parse(data.get(i)).path("sequence_number").asInt()).isEqualTo(i);
  }

  @Test
  void errorsBeforeTheFirstByteUseOpenAisShape() {
    HttpResponse<String> r = h.post("/v1/responses", GatewayHarness.ADMIN_KEY, "{\"model\":\"no-such-model\",\"input\":\"x\"}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(WireJson.parse(r.body()).path("error").path("code").asText()).isEqualTo("model_not_found");
    r = h.post("/v1/responses", null, "{\"model\":\"auto\",\"input\":\"x\"}");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(h.get("/v1/responses", GatewayHarness.ADMIN_KEY).statusCode()).isEqualTo(405);
  }
}
