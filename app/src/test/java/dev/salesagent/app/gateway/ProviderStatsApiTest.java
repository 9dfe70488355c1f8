package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the console's Providers view reads, over loopback HTTP against the emulators: a circuit opened by upstream
 * faults shows as open in {@code /v1/providers} with when it changed and why, and {@code /v1/providers/stats} gives
 * per model the error rate, latency and (for streams) time-to-first-token percentiles over 5 min / 1 h / 24 h.
 */
class ProviderStatsApiTest {
  static AssembledGatewayHarness h;
  static final String CHAT = "{\"model\":\"task:qualification\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void up() {
    // a breaker that opens after 5 calls at 50 % failures and stays open for the test
    h = new AssembledGatewayHarness("""
        resilience:
          circuit_breaker: {failure_rate_percent: 50, minimum_calls: 5, open_ms: 600000, half_open_calls: 1, window_size: 20}
        """, dev.salesagent.server.GatewayOptions.defaults().withPort(0).withEventLoops(2));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static JsonNode get(String path) {
    HttpResponse<String> r = h.get(path, GatewayHarness.ADMIN_KEY);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return WireJson.parse(r.body());
  }

  @Test
  void anOpenedCircuitSaysWhenAndWhyAndTheWindowsCountTheFailures() {
    // streamed successes give TTFT figures
    for (int i = 0; i < 3; i++) {
      assertThat(h.post("/v1/chat/completions", GatewayHarness.ADMIN_KEY, CHAT.replace("{", "{\"stream\":true,")).statusCode()).isEqualTo(200);
    }
    // then the first target fails every attempt until its circuit opens (the requests fall back and still succeed)
    h.emulator.faults().always("openai", Fault.SERVER_ERROR);
    try {
      for (int i = 0; i < 3; i++) h.post("/v1/chat/completions", GatewayHarness.ADMIN_KEY, CHAT);
    } finally {
      h.emulator.faults().clear();
    }
    JsonNode cerebras = null;
    for (JsonNode p : get("/v1/providers").get("data")) {
      if (p.get("name").asText().equals("cerebras")) cerebras = p.get("models").get(0);
    }
    assertThat(cerebras).isNotNull();
    assertThat(cerebras.get("circuit").asText()).isEqualTo("open");
    assertThat(cerebras.get("circuit_changed_at").asText()).isNotBlank();
    assertThat(cerebras.get("circuit_reason").asText()).contains("failure rate");

    assertThat(h.assembly.ledger().flush(Duration.ofSeconds(30))).isTrue();
    JsonNode stats = get("/v1/providers/stats");
    for (String w : new String[] {"5m", "1h", "24h"}) {
      JsonNode row = null;
      for (JsonNode t : stats.get("windows").get(w)) if (t.get("provider").asText().equals("cerebras")) row = t;
      assertThat(row).as(w).isNotNull();
      assertThat(row.get("failed_attempts").asLong()).as(w).isGreaterThanOrEqualTo(3); // until the breaker opened
      assertThat(row.get("error_rate_percent").asDouble()).as(w).isGreaterThan(0).isLessThan(100);
      assertThat(row.get("latency_p95_ms").asDouble()).as(w).isGreaterThanOrEqualTo(row.get("latency_p50_ms").asDouble());
      assertThat(row.get("ttft_p50_ms").isNumber()).as(w).isTrue();
    }
  }
}
