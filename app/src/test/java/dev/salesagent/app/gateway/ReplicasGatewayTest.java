package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.testing.RedisTestServer;
import dev.salesagent.store.Database;
import dev.salesagent.store.testing.PostgresTestServer;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three gateway replicas as {@code serve} assembles them, on one PostgreSQL database and one real redis-server, with
 * load spread over all three: a key's spend stays within its budget and its rpm holds across them; a key revoked
 * through one is refused by all within 1 s; Redis killed under load leaves them answering and saying so, and Redis
 * restarted empty is restored from PostgreSQL before anything is admitted again.
 */
class ReplicasGatewayTest {
  static RedisTestServer redis;
  static String db;
  static final List<AssembledGatewayHarness> replicas = new ArrayList<>();
  static final String CHAT = "{\"model\":\"task:research\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void up() {
    redis = RedisTestServer.start();
    db = PostgresTestServer.get().newDatabaseUrl("replicas");
    GatewayOptions o = GatewayOptions.defaults().withPort(0).withEventLoops(1);
    // a busy machine must not turn a slow Redis answer into a fallback; a killed Redis fails at once regardless
    String yaml = "shared_state: {command_timeout_ms: 30000}\n";
    for (int i = 0; i < 3; i++) replicas.add(new AssembledGatewayHarness(yaml, o, EmulatorOptions.defaults(), db, redis.url()));
  }

  @AfterAll
  static void down() {
    replicas.forEach(AssembledGatewayHarness::close);
    redis.close();
  }

  static AssembledGatewayHarness r(int i) {
    return replicas.get(Math.floorMod(i, replicas.size()));
  }

  static JsonNode createKey(String body) {
    HttpResponse<String> created = r(0).post("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY, body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return WireJson.parse(created.body());
  }

  /** {@code n} chat requests with {@code key}, 12 at a time, round robin over the replicas; their statuses. */
  static List<Integer> load(String key, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<Integer>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int at = i;
        fs.add(pool.submit(() -> r(at).post("/v1/chat/completions", key, CHAT).statusCode()));
      }
      List<Integer> out = new ArrayList<>();
      for (Future<Integer> f : fs) out.add(f.get(120, TimeUnit.SECONDS));
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  static BigDecimal recordedSpend(String keyId) {
    replicas.forEach(h -> h.assembly.ledger().flush(Duration.ofSeconds(30)));
    try (Database d = Database.open(db)) {
      return d.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(SUM(cost_usd), 0) FROM usage_ledger WHERE api_key_id = :k")
          .bind("k", keyId).mapTo(BigDecimal.class).one());
    }
  }

  @Test
  void spendStaysWithinTheBudgetAndRpmHoldsAcrossThreeReplicas() throws Exception {
    // what one call costs, as charged
    HttpResponse<String> one = r(0).post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY, CHAT);
    double cost = Double.parseDouble(one.headers().firstValue("x-sales-agent-cost-usd").orElseThrow());
    assertThat(cost).isPositive();
    // a budget of about ten calls, 60 calls over three replicas
    double budget = cost * 10.5;
    JsonNode k = createKey("{\"name\":\"budgeted\",\"scope\":\"client\",\"budget_usd\":" + budget + "}");
    List<Integer> statuses = load(k.get("key").asText(), 60);
    assertThat(statuses).containsOnly(200, 402);
    assertThat(statuses).contains(402);
    assertThat(recordedSpend(k.get("id").asText()).doubleValue()).as("recorded spend").isLessThanOrEqualTo(budget);

    // rpm 5: 15 calls at once over the three replicas, exactly 5 admitted in all
    JsonNode limited = createKey("{\"name\":\"limited\",\"scope\":\"client\",\"rpm\":5}");
    List<Integer> rs = load(limited.get("key").asText(), 15);
    assertThat(rs.stream().filter(s -> s == 200).count()).isEqualTo(5);
    assertThat(rs.stream().filter(s -> s == 429).count()).isEqualTo(10);
    HttpResponse<String> refused = r(2).post("/v1/chat/completions", limited.get("key").asText(), CHAT);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
  }

  @Test
  void aKeyRevokedThroughOneReplicaIsRefusedByAllWithinOneSecond() {
    JsonNode k = createKey("{\"name\":\"to-revoke\",\"scope\":\"client\"}");
    String key = k.get("key").asText();
    for (int i = 0; i < 3; i++) assertThat(r(i).post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(200);
    HttpResponse<String> revoked = r(1).delete("/v1/admin/keys/" + k.get("id").asText(), AssembledGatewayHarness.ADMIN_KEY);
    assertThat(revoked.statusCode()).as(revoked.body()).isBetween(200, 204);
    // from the revoke's answer: every replica refuses the key within 1 s (the announcement arrives in milliseconds;
    // the periodic reload alone would take up to 5 s)
    Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() ->
        r(0).post("/v1/chat/completions", key, CHAT).statusCode() == 401
            && r(2).post("/v1/chat/completions", key, CHAT).statusCode() == 401);
    assertThat(r(1).post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(401);
  }

  @Test
  void redisKilledUnderLoadThenRestartedEmptyIsRestoredFromPostgres() throws Exception {
    // a key that can afford exactly three calls
    HttpResponse<String> one = r(0).post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY, CHAT);
    double cost = Double.parseDouble(one.headers().firstValue("x-sales-agent-cost-usd").orElseThrow());
    JsonNode k = createKey("{\"name\":\"small\",\"scope\":\"client\",\"budget_usd\":" + cost * 3.5 + "}");
    String key = k.get("key").asText();
    // spent one call at a time until refused: nothing is in flight, so what is left cannot afford a call
    int admitted = 0;
    for (int i = 0; i < 20 && r(i).post("/v1/chat/completions", key, CHAT).statusCode() == 200; i++) admitted++;
    assertThat(admitted).isBetween(1, 3);
    assertThat(r(admitted).post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(402);

    // load on all replicas while Redis is killed: every call is answered (fail_open)
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> loops = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int at = i;
      loops.add(pool.submit(() -> {
        while (!stop.get()) {
          int s = r(at).post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY, CHAT).statusCode();
          (s == 200 ? answered : failed).incrementAndGet();
        }
      }));
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() >= 6);
    redis.kill();
    int atKill = answered.get();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() >= atKill + 9);
    for (int i = 0; i < 3; i++) {
      int at = i;
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
          WireJson.parse(r(at).get("/readyz", null).body()).get("shared_state").asText().contains("unreachable"));
    }
    redis.restart(); // empty: no counters, no epoch marker
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> replicas.stream().allMatch(h ->
        WireJson.parse(h.get("/readyz", null).body()).get("shared_state").asText().equals("ok")));
    stop.set(true);
    for (Future<?> f : loops) f.get(60, TimeUnit.SECONDS);
    pool.shutdownNow();
    assertThat(failed.get()).as("calls not answered 200 while Redis was down").isZero();

    // the exhausted key is still refused on every replica: Redis was seeded from PostgreSQL before admitting
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> after = r(i).post("/v1/chat/completions", key, CHAT);
      assertThat(after.statusCode()).as(after.body()).isEqualTo(402);
    }
    assertThat(redis.command("EXISTS", "sa:{budget}:epoch")).isEqualTo(":1");
    assertThat(recordedSpend(k.get("id").asText()).doubleValue()).isLessThanOrEqualTo(cost * 3.5);
  }
}
