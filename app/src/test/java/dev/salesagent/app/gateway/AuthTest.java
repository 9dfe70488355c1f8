package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.wire.WireJson;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthTest {
  static AssembledGatewayHarness h;
  static final String CHAT = "{\"model\":\"task:qualification\",\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness();
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static JsonNode json(HttpResponse<String> r) {
    return WireJson.parse(r.body());
  }

  static String createKey(String body) {
    HttpResponse<String> r = h.post("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).get("key").asText();
  }

  @Test
  void missingAndWrongKeysAre401InOpenAiShape() {
    HttpResponse<String> none = h.post("/v1/chat/completions", null, CHAT);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(json(none).at("/error/type").asText()).isEqualTo("authentication_error");
    assertThat(json(none).at("/error/code").asText()).isEqualTo("invalid_api_key");
    assertThat(json(none).at("/error/message").asText()).contains("Authorization: Bearer");
    HttpResponse<String> wrong = h.post("/v1/chat/completions", "sk-sa-not-a-key", CHAT);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain("sk-sa-not-a-key");
    assertThat(h.get("/v1/models", null).statusCode()).isEqualTo(401);
    assertThat(h.get("/v1/usage", null).statusCode()).isEqualTo(401);
    // open endpoints
    assertThat(h.get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(h.get("/readyz", null).statusCode()).isEqualTo(200);
    assertThat(h.get("/metrics", null).statusCode()).isEqualTo(200);
  }

  @Test
  void createdKeyWorksThenRevokedKeyIs401() {
    HttpResponse<String> created = h.post("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY, "{\"name\":\"ci\",\"scope\":\"client\"}");
    String key = json(created).get("key").asText();
    String id = json(created).get("id").asText();
    assertThat(key).startsWith("sk-sa-");
    assertThat(h.post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(200);
    HttpResponse<String> list = h.get("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains(id).doesNotContain(key);
    assertThat(h.delete("/v1/admin/keys/" + id, AssembledGatewayHarness.ADMIN_KEY).statusCode()).isEqualTo(200);
    HttpResponse<String> after = h.post("/v1/chat/completions", key, CHAT);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(json(after).at("/error/message").asText()).contains("revoked");
    assertThat(h.delete("/v1/admin/keys/" + id, AssembledGatewayHarness.ADMIN_KEY).statusCode()).isEqualTo(404);
  }

  @Test
  void clientKeyOnAdminEndpointIs403() {
    String key = createKey("{\"name\":\"client\"}");
    HttpResponse<String> r = h.get("/v1/admin/keys", key);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).at("/error/type").asText()).isEqualTo("permission_error");
    assertThat(h.post("/v1/admin/keys", key, "{\"name\":\"x\"}").statusCode()).isEqualTo(403);
    // an admin key created through the API can administer
    String admin = createKey("{\"name\":\"ops\",\"scope\":\"admin\"}");
    assertThat(h.get("/v1/admin/keys", admin).statusCode()).isEqualTo(200);
  }

  @Test
  void budgetExhaustedIs402WithTheBudgetNamed() {
    String key = createKey("{\"name\":\"tiny\",\"budget_usd\":0.0000001}");
    HttpResponse<String> r = h.post("/v1/chat/completions", key, CHAT);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(402);
    assertThat(json(r).at("/error/code").asText()).isEqualTo("budget_exceeded");
    assertThat(json(r).at("/error/message").asText()).contains("budget");
    HttpResponse<String> a = h.post("/v1/messages", key,
        "{\"model\":\"task:content\",\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(a.statusCode()).isEqualTo(402);
    assertThat(a.body()).contains("\"billing_error\"");
  }

  @Test
  void spendAndRemainingBudgetAreVisibleToAdmins() {
    HttpResponse<String> created = h.post("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY, "{\"name\":\"spender\",\"budget_usd\":5}");
    String key = json(created).get("key").asText();
    String id = json(created).get("id").asText();
    HttpResponse<String> r = h.post("/v1/chat/completions", key, CHAT);
    double cost = Double.parseDouble(r.headers().firstValue("x-sales-agent-cost-usd").orElseThrow());
    assertThat(cost).isPositive();
    h.assembly.ledger().flush();
    JsonNode list = json(h.get("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY));
    JsonNode mine = null;
    for (JsonNode k : list.get("data")) if (k.get("id").asText().equals(id)) mine = k;
    assertThat(mine).isNotNull();
    assertThat(mine.get("spent_usd").asDouble()).isEqualTo(cost, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(mine.get("month_spent_usd").asDouble()).isEqualTo(cost, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(mine.get("remaining_budget_usd").asDouble()).isEqualTo(5 - cost, org.assertj.core.data.Offset.offset(1e-9));
    // a client key sees its own usage only
    JsonNode usage = json(h.get("/v1/usage?group_by=key,provider", key));
    assertThat(usage.get("data")).hasSize(1);
    assertThat(usage.at("/data/0/key").asText()).isEqualTo(id);
    assertThat(h.get("/v1/usage?key=someone-else", key).statusCode()).isEqualTo(403);
  }

  @Test
  void perKeyRateLimitIs429WithRetryAfter() {
    String key = createKey("{\"name\":\"slow\",\"rpm\":2}");
    assertThat(h.post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(200);
    assertThat(h.post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(200);
    HttpResponse<String> r = h.post("/v1/chat/completions", key, CHAT);
    assertThat(r.statusCode()).isEqualTo(429);
    // the first request leaves the sliding 60 s window at most 60 s from now
    assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
    assertThat(json(r).at("/error/type").asText()).isEqualTo("rate_limit_error");
  }

  @Test
  void adminKeyValidation() {
    HttpResponse<String> r = h.post("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY, "{\"name\":\"x\",\"scope\":\"root\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).at("/error/param").asText()).isEqualTo("scope");
    assertThat(h.post("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY, "{\"budget_usd\":1}").statusCode()).isEqualTo(400);
  }
}
