package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.wire.WireJson;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code PATCH /v1/admin/keys/{id}} (the console's Keys view): a field given changes that limit, {@code null} removes
 * it, a field left out keeps it; the change takes effect on the next request; bad input is a 400 naming the rule.
 */
class KeyLimitsTest {
  static AssembledGatewayHarness h;
  static final String ADMIN = AssembledGatewayHarness.ADMIN_KEY;

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness();
  }

  @AfterAll
  static void down() {
    h.close();
  }

  @Test
  void limitsChangeAsGivenAndTakeEffectAtOnce() {
    JsonNode k = WireJson.parse(h.post("/v1/admin/keys", ADMIN, "{\"name\":\"limits\",\"budget_usd\":10,\"rpm\":100}").body());
    String id = k.get("id").asText();
    String key = k.get("key").asText();

    JsonNode rpmOnly = WireJson.parse(patch(id, "{\"rpm\":50}", ADMIN).body());
    assertThat(rpmOnly.get("rpm").asInt()).isEqualTo(50);
    assertThat(rpmOnly.get("budget_usd").asDouble()).isEqualTo(10.0);
    assertThat(rpmOnly.has("key")).isFalse();

    JsonNode noBudget = WireJson.parse(patch(id, "{\"budget_usd\":null}", ADMIN).body());
    assertThat(noBudget.get("budget_usd").isNull()).isTrue();
    assertThat(noBudget.get("rpm").asInt()).isEqualTo(50);

    // a budget of 0: the next paid call is refused before any provider is called
    assertThat(patch(id, "{\"budget_usd\":0}", ADMIN).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = h.post("/v1/chat/completions", key,
        "{\"model\":\"task:content\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(402);

    // what the list says is what was set
    for (JsonNode row : WireJson.parse(h.get("/v1/admin/keys", ADMIN).body()).get("data")) {
      if (row.get("id").asText().equals(id)) assertThat(row.get("budget_usd").asDouble()).isZero();
    }
  }

  @Test
  void badChangesAreRefusedAndNamed() {
    String id = WireJson.parse(h.post("/v1/admin/keys", ADMIN, "{\"name\":\"bad\"}").body()).get("id").asText();
    assertError(patch(id, "{\"rpm\":0}", ADMIN), 400, "rpm must be an integer from 1 to 1000000");
    assertError(patch(id, "{\"budget_usd\":-1}", ADMIN), 400, "budget_usd must be a number from 0 to 100000000");
    assertError(patch(id, "{\"name\":\"x\"}", ADMIN), 400, "only budget_usd, rpm and tpm can be changed");
    assertError(patch(id, "{}", ADMIN), 400, "budget_usd, rpm and/or tpm");
    assertError(patch("key_doesnotexist", "{\"rpm\":5}", ADMIN), 404, "no active key");
    assertThat(h.delete("/v1/admin/keys/" + id, ADMIN).statusCode()).isEqualTo(200);
    assertError(patch(id, "{\"rpm\":5}", ADMIN), 404, "no active key");
    String client = WireJson.parse(h.post("/v1/admin/keys", ADMIN, "{\"name\":\"c\"}").body()).get("key").asText();
    assertThat(patch(id, "{\"rpm\":5}", client).statusCode()).isEqualTo(403);
  }

  static void assertError(HttpResponse<String> r, int status, String message) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(WireJson.parse(r.body()).at("/error/message").asText()).contains(message);
  }

  static HttpResponse<String> patch(String id, String body, String key) {
    return patch(id, body, key, h);
  }

  static HttpResponse<String> patch(String id, String body, String key, AssembledGatewayHarness h) {
    return h.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/v1/admin/keys/" + id)).timeout(Duration.ofSeconds(60))
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
  }
}
