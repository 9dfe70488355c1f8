package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.testing.RedisTestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas as {@code serve} assembles them with {@code SALES_AGENT_REDIS_URL}, on one database and one
 * real redis-server: a key's rpm holds across both, and Redis killed under them is reported by {@code /readyz} while
 * calls keep being answered.
 */
class SharedStateGatewayTest {
  static RedisTestServer redis;
  static AssembledGatewayHarness a;
  static AssembledGatewayHarness b;
  static final String CHAT = "{\"model\":\"task:research\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void up() {
    redis = RedisTestServer.start();
    String db = AssembledGatewayHarness.newDbUrl();
    GatewayOptions o = GatewayOptions.defaults().withPort(0).withEventLoops(1);
    // a busy machine must not turn a slow Redis answer into a fallback; a killed Redis fails at once regardless
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
  void rpmHoldsAcrossReplicasAndRedisDownIsReportedWhileServing() {
    HttpResponse<String> created = a.post("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY,
        "{\"name\":\"shared\",\"scope\":\"client\",\"rpm\":3}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String key = WireJson.parse(created.body()).get("key").asText();
    assertThat(a.post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(200);
    assertThat(b.post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(200);
    assertThat(a.post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(200);
    // per-process counting would let replica b admit two more; shared, the 4th anywhere is refused
    HttpResponse<String> fourth = b.post("/v1/chat/completions", key, CHAT);
    assertThat(fourth.statusCode()).isEqualTo(429);
    long retry = Long.parseLong(fourth.headers().firstValue("retry-after").orElseThrow());
    assertThat(retry).isBetween(1L, 60L);

    JsonNode ready = WireJson.parse(a.get("/readyz", null).body());
    assertThat(ready.get("shared_state").asText()).isEqualTo("ok");

    redis.kill();
    // reported without waiting for a command to fail: the replica may serve from its budget lease and send none
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> WireJson.parse(a.get("/readyz", null).body()).get("shared_state").asText().contains("unreachable"));
    // calls keep being answered (admin key: no rpm; budgets fall back to local counters)
    assertThat(a.post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY, CHAT).statusCode()).isEqualTo(200);
    HttpResponse<String> rz = a.get("/readyz", null);
    assertThat(rz.statusCode()).isEqualTo(200); // fail_open: still serving
    assertThat(WireJson.parse(rz.body()).get("shared_state").asText()).contains("unreachable").contains("fail_open");
    assertThat(a.get("/metrics", null).body()).containsPattern("(?m)^sales_agent_redis_up(\\{[^}]*\\})? 0\\.0")
        .containsPattern("(?m)^sales_agent_redis_fallbacks_total\\{state=\"budgets\"\\} [1-9]");

    redis.restart();
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> WireJson.parse(a.get("/readyz", null).body()).get("shared_state").asText().equals("ok"));
    assertThat(a.post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY, CHAT).statusCode()).isEqualTo(200);
  }
}
