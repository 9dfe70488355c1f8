package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.testing.RedisTestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two assembled gateways on one database and one real redis-server: a key's tpm holds across both together. */
class TokenLimitReplicasTest {
  static RedisTestServer redis;
  static AssembledGatewayHarness a;
  static AssembledGatewayHarness b;
  static final String CHAT = "{\"model\":\"task:research\",\"max_tokens\":30,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void up() {
    redis = RedisTestServer.start();
    String db = AssembledGatewayHarness.newDbUrl();
    GatewayOptions o = GatewayOptions.defaults().withPort(0).withEventLoops(1);
    String yaml = "shared_state: {command_timeout_ms: 30000}\n";
    a = new AssembledGatewayHarness(yaml, o, EmulatorOptions.defaults(), db, redis.url());
    b = new AssembledGatewayHarness(yaml, o, EmulatorOptions.defaults(), db, redis.url());
  }

  @AfterAll
  static void down() {
    if (a != null) a.close();
    if (b != null) b.close();
    redis.close();
  }

  @Test
  void tpmHoldsAcrossReplicasTogether() {
    int tpm = 300;
    HttpResponse<String> created = a.post("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY,
        "{\"name\":\"shared-tokens\",\"tpm\":" + tpm + "}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String key = WireJson.parse(created.body()).get("key").asText();
    long used = 0;
    HttpResponse<String> refused = null;
    for (int i = 0; i < 200 && refused == null; i++) {
      HttpResponse<String> r = (i % 2 == 0 ? a : b).post("/v1/chat/completions", key, CHAT);
      if (r.statusCode() == 429) {
        refused = r;
      } else {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode u = WireJson.parse(r.body()).get("usage");
        used += u.get("prompt_tokens").asLong() + u.get("completion_tokens").asLong();
      }
    }
    assertThat(refused).isNotNull();
    // counted per replica, each would admit up to tpm (about twice tpm in all) before the first refusal
    assertThat(used).isLessThanOrEqualTo(tpm);
    assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
    assertThat(WireJson.parse(refused.body()).at("/error/message").asText()).contains("tpm");
  }
}
