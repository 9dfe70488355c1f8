package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Budgets on every path: each endpoint that can make a provider call — both chat APIs (plain and streaming) and the
 * sales steps and parse — is charged to the caller's key. A key whose budget cannot afford the call is refused with 402
 * {@code budget_exceeded} before any provider is called (no ledger row for the request), and the rows of calls it can
 * afford carry the key.
 */
class BudgetOnEveryPathTest {
  static AssembledGatewayHarness h;
  static final String LEAD = "{\"first_name\":\"Dana\",\"email\":\"dana@northwind.com\",\"company\":\"Northwind\",\"job_title\":"
      + "\"VP of Sales\",\"employees\":850,\"notes\":\"Budget approved for Q1, evaluating tools this quarter.\"}";
  static final String PARSE = "{\"text\":\"Dana Reyes\\nVP of Sales, Northwind\\ndana@northwind.com\"}";

  @BeforeAll
  static void up() {
    // parsing goes to a paid provider here: the default chain starts at a local model, which costs nothing, and a call
    // that costs nothing is not refused by any budget
    h = new AssembledGatewayHarness("tasks: {parsing: {chain: [cerebras/gpt-oss-120b, deepseek/deepseek-flash]}}\n",
        GatewayOptions.defaults().withPort(0).withEventLoops(2));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  /** An endpoint that can cause a provider call. */
  record Call(String name, String path, String body) {}

  /** {@code stepsBackwards}: outreach, research, qualify — so a refused (recorded as failed) step does not hide the
   *  earlier step's result the next one needs. */
  static List<Call> providerCalls(String leadId, boolean stepsBackwards) {
    List<Call> c = new ArrayList<>();
    c.add(new Call("chat", "/v1/chat/completions",
        "{\"model\":\"task:qualification\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    c.add(new Call("chat alias", "/chat/completions",
        "{\"model\":\"auto\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    c.add(new Call("chat stream", "/v1/chat/completions",
        "{\"model\":\"task:research\",\"stream\":true,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    c.add(new Call("messages", "/v1/messages",
        "{\"model\":\"task:content\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    c.add(new Call("messages stream", "/v1/messages",
        "{\"model\":\"task:content\",\"stream\":true,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    List<Call> steps = new ArrayList<>();
    for (String step : List.of("qualify", "research", "outreach")) steps.add(new Call(step, "/v1/leads/" + leadId + "/" + step, ""));
    if (stepsBackwards) java.util.Collections.reverse(steps);
    c.addAll(steps);
    c.add(new Call("parse", "/v1/parse", PARSE));
    return c;
  }

  static JsonNode key(String body) {
    HttpResponse<String> r = h.post("/v1/admin/keys", GatewayHarness.ADMIN_KEY, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return WireJson.parse(r.body());
  }

  static List<UsageRecord> ledgerRows(String requestId) {
    assertThat(h.assembly.ledger().flush(Duration.ofSeconds(30))).isTrue();
    return h.assembly.ledger().queries().byRequestIdPrefix(requestId);
  }

  static String leadOf(String key) {
    HttpResponse<String> r = h.post("/v1/leads", key, LEAD);
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    return WireJson.parse(r.body()).get("id").asText();
  }

  @Test
  void aKeyThatCannotAffordACallIsRefusedWith402OnEveryPathBeforeAnyProviderIsCalled() {
    JsonNode tiny = key("{\"name\":\"tiny\",\"budget_usd\":0.000001}");
    String k = tiny.get("key").asText();
    String lead = leadOf(k);
    // research and outreach refuse without the earlier step's result (409); an admin, who may act on any tenant's
    // lead, provides them so that the tiny key's research and outreach reach their router call
    for (String step : List.of("qualify", "research")) {
      HttpResponse<String> r = h.post("/v1/leads/" + lead + "/" + step, GatewayHarness.ADMIN_KEY, "");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    List<String> requestIds = new ArrayList<>();
    for (Call c : providerCalls(lead, true)) {
      HttpResponse<String> r = h.post(c.path(), k, c.body());
      assertThat(r.statusCode()).as(c.name() + ": " + r.body()).isEqualTo(402);
      JsonNode body = WireJson.parse(r.body());
      if (c.path().equals("/v1/messages")) {
        assertThat(body.at("/error/type").asText()).as(c.name()).isEqualTo("billing_error");
      } else {
        assertThat(body.at("/error/code").asText()).as(c.name()).isEqualTo("budget_exceeded");
      }
      assertThat(body.at("/error/message").asText()).as(c.name()).contains("budget");
      requestIds.add(r.headers().firstValue("x-request-id").orElseThrow());
    }
    for (String rid : requestIds) assertThat(ledgerRows(rid)).as("ledger rows of " + rid).isEmpty();
    // nothing was spent on the key: its month's spend is still zero
    assertThat(spentThisMonth(tiny.get("id").asText())).isZero();
  }

  @Test
  void callsAKeyCanAffordAreChargedToItAndTheirLedgerRowsCarryIt() {
    JsonNode funded = key("{\"name\":\"funded\",\"budget_usd\":5}");
    String k = funded.get("key").asText();
    String id = funded.get("id").asText();
    String lead = leadOf(k);
    double sum = 0;
    for (Call c : providerCalls(lead, false)) {
      HttpResponse<String> r = h.post(c.path(), k, c.body());
      // parse may answer 502 invalid_output when the emulator's card does not quote the text: still a charged call
      assertThat(r.statusCode()).as(c.name() + ": " + r.body()).isIn(200, 502);
      List<UsageRecord> rows = ledgerRows(r.headers().firstValue("x-request-id").orElseThrow());
      assertThat(rows).as(c.name()).isNotEmpty().allSatisfy(u -> assertThat(u.apiKeyId()).isEqualTo(id));
      sum += rows.stream().mapToDouble(UsageRecord::costUsd).sum();
    }
    assertThat(sum).isPositive();
    assertThat(spentThisMonth(id)).isEqualTo(sum, org.assertj.core.data.Offset.offset(1e-9));
  }

  static double spentThisMonth(String keyId) {
    for (JsonNode k : WireJson.parse(h.get("/v1/admin/keys", GatewayHarness.ADMIN_KEY).body()).get("data")) {
      if (k.get("id").asText().equals(keyId)) return k.path("month_spent_usd").asDouble();
    }
    throw new AssertionError("no key " + keyId);
  }
}
