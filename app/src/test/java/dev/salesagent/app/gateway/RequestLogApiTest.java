package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's data endpoints over loopback HTTP on the assembled gateway and the emulators: the request log (one
 * entry per request with its attempts, retries and fallbacks counted; the whole attempt chain by id; keyset pages
 * without gaps or repeats), usage in time buckets, and tenancy (a client key sees only its own requests: another's is
 * a 404, another key's filter a 403; admins see all).
 */
class RequestLogApiTest {
  static AssembledGatewayHarness h;
  static String a;
  static String aId;
  static String b;
  static String bId;

  static final String CHAT = "{\"model\":\"task:qualification\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness();
    JsonNode ka = json(ok(h.post("/v1/admin/keys", GatewayHarness.ADMIN_KEY, "{\"name\":\"tenant-a\"}")));
    a = ka.get("key").asText();
    aId = ka.get("id").asText();
    JsonNode kb = json(ok(h.post("/v1/admin/keys", GatewayHarness.ADMIN_KEY, "{\"name\":\"tenant-b\"}")));
    b = kb.get("key").asText();
    bId = kb.get("id").asText();
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static HttpResponse<String> ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return r;
  }

  static JsonNode json(HttpResponse<String> r) {
    return WireJson.parse(r.body());
  }

  static String chat(String key, String body) {
    return ok(h.post("/v1/chat/completions", key, body)).headers().firstValue("x-request-id").orElseThrow();
  }

  static void flushed() {
    assertThat(h.assembly.ledger().flush(Duration.ofSeconds(30))).isTrue();
  }

  @Test
  void aRetriedRequestIsOneEntryWithItsWholeAttemptChain() {
    h.emulator.faults().next("openai", Fault.OVERLOADED, 1);
    String id = chat(a, CHAT);
    flushed();
    JsonNode d = json(ok(h.get("/v1/requests/" + id, a)));
    assertThat(d.get("key_id").asText()).isEqualTo(aId);
    assertThat(d.get("model_requested").asText()).isEqualTo("task:qualification");
    assertThat(d.get("task").asText()).isEqualTo("qualification");
    assertThat(d.get("outcome").asText()).isEqualTo("ok");
    assertThat(d.get("attempts").asInt()).isEqualTo(2);
    assertThat(d.get("failed_attempts").asInt()).isEqualTo(1);
    assertThat(d.get("retries").asInt()).isEqualTo(1);
    assertThat(d.get("fallbacks").asInt()).isZero();
    assertThat(d.get("streamed").asBoolean()).isFalse();
    assertThat(d.get("output_tokens").asLong()).isPositive();
    JsonNode chain = d.get("attempt_chain");
    assertThat(chain).hasSize(2);
    assertThat(chain.get(0).get("outcome").asText()).isEqualTo("overloaded");
    assertThat(chain.get(1).get("outcome").asText()).isEqualTo("ok");
    assertThat(chain.get(1).get("provider").asText()).isEqualTo(d.get("provider").asText());

    // tenancy: the other client key cannot read it, nor filter by a key that is not its own
    assertThat(h.get("/v1/requests/" + id, b).statusCode()).isEqualTo(404);
    assertThat(h.get("/v1/requests?key=" + aId, b).statusCode()).isEqualTo(403);
    assertThat(json(ok(h.get("/v1/requests?limit=500", b))).get("data").toString()).doesNotContain(id);
    assertThat(json(ok(h.get("/v1/requests?limit=500", a))).get("data").toString()).contains(id);
    assertThat(json(ok(h.get("/v1/requests/" + id, GatewayHarness.ADMIN_KEY))).get("id").asText()).isEqualTo(id);
  }

  @Test
  void aFallbackIsCountedAndTheFilterFindsFailuresByStatus() {
    h.emulator.faults().next("openai", Fault.OVERLOADED, 3); // the first target and its two retries
    String id = chat(b, CHAT);
    flushed();
    JsonNode d = json(ok(h.get("/v1/requests/" + id, b)));
    assertThat(d.get("attempts").asInt()).isEqualTo(4);
    assertThat(d.get("retries").asInt()).isEqualTo(2);
    assertThat(d.get("fallbacks").asInt()).isEqualTo(1);
    assertThat(d.get("first_provider").asText()).isNotEqualTo(d.get("provider").asText());
    // by the answering provider, and by prefix
    JsonNode byProvider = json(ok(h.get("/v1/requests?provider=" + d.get("provider").asText(), b)));
    assertThat(byProvider.get("data").toString()).contains(id);
    assertThat(json(ok(h.get("/v1/requests?q=" + id, b))).get("data")).hasSize(1);
    assertThat(json(ok(h.get("/v1/requests?status=error", b))).get("data").toString()).doesNotContain(id);
  }

  @Test
  void pagesByKeysetWithoutGapsOrRepeats() {
    String key = json(ok(h.post("/v1/admin/keys", GatewayHarness.ADMIN_KEY, "{\"name\":\"pager\"}"))).get("key").asText();
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 7; i++) made.add(chat(key, CHAT));
    flushed();
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = json(ok(h.get("/v1/requests?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), key)));
      page.get("data").forEach(e -> seen.add(e.get("id").asText()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(7).containsExactlyInAnyOrderElementsOf(made);
    assertThat(h.get("/v1/requests?cursor=garbage", key).statusCode()).isEqualTo(400);
    assertThat(h.get("/v1/requests?limit=0", key).statusCode()).isEqualTo(400);
  }

  @Test
  void usageInTimeBucketsAddsUpToTheRequestLog() {
    String key = json(ok(h.post("/v1/admin/keys", GatewayHarness.ADMIN_KEY, "{\"name\":\"series\"}"))).get("key").asText();
    h.emulator.faults().next("openai", Fault.OVERLOADED, 1);
    for (int i = 0; i < 3; i++) chat(key, CHAT);
    flushed();
    JsonNode ts = json(ok(h.get("/v1/usage/timeseries?bucket=minute&by=provider", key)));
    assertThat(ts.get("bucket").asText()).isEqualTo("minute");
    long requests = 0;
    long attempts = 0;
    long retries = 0;
    for (JsonNode bucket : ts.get("data")) {
      assertThat(bucket.has("provider")).isTrue();
      requests += bucket.get("requests").asLong();
      attempts += bucket.get("attempts").asLong();
      retries += bucket.get("retries").asLong();
    }
    assertThat(requests).isEqualTo(3);
    assertThat(attempts).isEqualTo(4);
    assertThat(retries).isEqualTo(1);
    assertThat(h.get("/v1/usage/timeseries?bucket=week", key).statusCode()).isEqualTo(400);
    assertThat(h.get("/v1/usage/timeseries?by=colour", key).statusCode()).isEqualTo(400);
    assertThat(h.get("/v1/usage/timeseries?bucket=minute&from=2020-01-01", key).statusCode()).isEqualTo(400);
    // admins see everyone's, a client its own
    JsonNode all = json(ok(h.get("/v1/usage/timeseries?bucket=day", GatewayHarness.ADMIN_KEY)));
    assertThat(all.get("data").get(0).get("requests").asLong()).isGreaterThan(3);
  }
}
