package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.wire.WireJson;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpsTest {
  static AssembledGatewayHarness h;
  static final String K = AssembledGatewayHarness.ADMIN_KEY;

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness();
    h.post("/v1/chat/completions", K, "{\"model\":\"task:research\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    h.post("/v1/chat/completions", K, "{\"model\":\"task:qualification\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @AfterAll
  static void down() {
    h.close();
  }

  @Test
  void healthAndReadiness() {
    HttpResponse<String> hz = h.get("/healthz", null);
    assertThat(hz.statusCode()).isEqualTo(200);
    HttpResponse<String> rz = h.get("/readyz", null);
    assertThat(rz.statusCode()).isEqualTo(200);
    assertThat(WireJson.parse(rz.body()).get("database").asText()).isEqualTo("ok");
  }

  @Test
  void metricsHaveRouterAndHttpServerMeters() {
    HttpResponse<String> m = h.get("/metrics", null);
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(m.body()).contains("vertx_http_server_requests_total").contains("vertx_http_server_response_time_seconds");
    assertThat(m.body()).containsPattern("(?m)^gen_ai_|^sales_agent_");
    assertThat(m.body()).doesNotContain(K).doesNotContain("test-key-a");
  }

  @Test
  void providersShowStateCircuitAndPrices() {
    JsonNode p = WireJson.parse(h.get("/v1/providers", K).body());
    assertThat(p.get("data").size()).isGreaterThanOrEqualTo(4);
    JsonNode first = p.get("data").get(0);
    assertThat(first.has("state")).isTrue();
    assertThat(first.at("/models/0/circuit").asText()).isNotEmpty();
    assertThat(first.at("/models/0/input_usd_per_mtok").isNumber()).isTrue();
    assertThat(p.toString()).doesNotContain("test-key");
  }

  @Test
  void usageGroupsByEveryDimension() {
    h.assembly.ledger().flush();
    JsonNode u = WireJson.parse(h.get("/v1/usage", K).body());
    assertThat(u.get("group_by").toString()).isEqualTo("[\"key\",\"task\",\"provider\",\"model\",\"day\"]");
    assertThat(u.get("data").size()).isGreaterThanOrEqualTo(2);
    JsonNode row = u.get("data").get(0);
    assertThat(row.get("key").asText()).isEqualTo("env-admin");
    assertThat(row.get("day").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(row.get("cost_usd").isNumber()).isTrue();
    JsonNode byTask = WireJson.parse(h.get("/v1/usage?group_by=task&from=2020-01-01", K).body());
    assertThat(byTask.get("data").toString()).contains("research").contains("qualification");
    HttpResponse<String> bad = h.get("/v1/usage?group_by=colour", K);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(h.get("/v1/usage?from=yesterday", K).statusCode()).isEqualTo(400);
  }

  @Test
  void salesEndpointsAreReachableThroughTheDispatcher() {
    assertThat(h.get("/v1/leads", K).statusCode()).isEqualTo(200);
    assertThat(h.get("/v1/leads", null).statusCode()).isEqualTo(401);
    assertThat(h.get("/v1/nothing-here", K).statusCode()).isEqualTo(404);
  }
}
