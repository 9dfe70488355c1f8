package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.routing.UsageFilter;
import dev.salesagent.router.routing.UsageTotals;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayOptions;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * N concurrent requests through both dialects, streaming and not, with faults injected: the ledger's tokens and cost
 * equal exactly what the responses (i.e. the emulators' reported usage) say, one ledger row per upstream request the
 * emulators received, and nothing is lost across a restart.
 */
class LedgerReconciliationTest {
  static AssembledGatewayHarness h;

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness(System.getProperty("ledgerYaml", ""), GatewayOptions.defaults().withPort(0).withEventLoops(2));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  record Seen(long in, long out, BigDecimal cost) {}

  @Test
  void ledgerMatchesWhatProvidersReportedAndSurvivesRestart() throws Exception {
    long upstreamBefore = upstreamRequests();
    // Faults with no usage (refused before any token): retries and fallbacks add attempts but no tokens.
    h.emulator.faults().next("openai", Fault.OVERLOADED, 12);
    // Two, not more: a request has three attempts on each target, so two faults can never exhaust its Anthropic one
    // (six could, when the interleaving lines three of them up behind one request that fell back there).
    h.emulator.faults().next("anthropic", Fault.SERVER_ERROR, 2);
    h.emulator.faults().next("openai", Fault.RATE_LIMIT, 4);
    int n = 48;
    String runId = "ledger-run-" + System.nanoTime();
    List<CompletableFuture<Seen>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String task = switch (i % 3) { case 0 -> "qualification"; case 1 -> "content"; default -> "research"; };
      boolean stream = i % 2 == 0;
      boolean anthropic = i % 4 == 1;
      String rid = runId + "-" + i;
      calls.add(CompletableFuture.supplyAsync(() -> anthropic ? anthropicCall(task, stream, rid) : openAiCall(task, stream, rid)));
    }
    long in = 0;
    long out = 0;
    BigDecimal cost = BigDecimal.ZERO;
    for (CompletableFuture<Seen> c : calls) {
      Seen s = c.get();
      in += s.in();
      out += s.out();
      cost = cost.add(s.cost());
    }
    h.assembly.ledger().flush();
    UsageTotals t = h.assembly.ledger().queries().total(UsageFilter.ALL.withRequestIdPrefix(runId));
    assertThat(t.requests()).isEqualTo(n);
    assertThat(t.inputTokens()).isEqualTo(in);
    assertThat(t.outputTokens()).isEqualTo(out);
    assertThat(t.costUsd()).isEqualByComparingTo(cost);
    assertThat(t.failedAttempts()).isGreaterThanOrEqualTo(1);
    // one row per upstream call (the emulators may also have seen a health probe meanwhile)
    assertThat(t.attempts()).isGreaterThan(n).isLessThanOrEqualTo(upstreamRequests() - upstreamBefore);

    // Restart: same totals from the database.
    h.stop();
    h.start();
    UsageTotals again = h.assembly.ledger().queries().total(UsageFilter.ALL.withRequestIdPrefix(runId));
    assertThat(again).isEqualTo(t);
    // and through the API
    JsonNode usage = WireJson.parse(h.get("/v1/usage?group_by=provider&request_id_prefix=" + runId, AssembledGatewayHarness.ADMIN_KEY).body());
    long apiOut = 0;
    for (JsonNode row : usage.get("data")) apiOut += row.get("output_tokens").asLong();
    assertThat(apiOut).isEqualTo(out);
  }

  static long upstreamRequests() {
    return h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic") + h.emulator.stats().total("ollama");
  }

  static Seen openAiCall(String task, boolean stream, String rid) {
    String body = "{\"model\":\"task:" + task + "\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"Qualify ACME, 200 staff.\"}]"
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
    HttpResponse<String> r = h.post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY, body, "x-request-id", rid);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode usage;
    if (stream) {
      List<String> data = AssembledGatewayHarness.sseData(r.body());
      assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
      usage = WireJson.parse(data.get(data.size() - 2)).get("usage");
    } else {
      usage = WireJson.parse(r.body()).get("usage");
      assertThat(new BigDecimal(r.headers().firstValue("x-sales-agent-cost-usd").orElseThrow()))
          .isEqualByComparingTo(usage.get("cost_usd").decimalValue());
    }
    return new Seen(usage.get("prompt_tokens").asLong(), usage.get("completion_tokens").asLong(), usage.get("cost_usd").decimalValue());
  }

  static Seen anthropicCall(String task, boolean stream, String rid) {
    String body = "{\"model\":\"task:" + task + "\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"Draft a line to ACME.\"}]"
        + (stream ? ",\"stream\":true" : "") + "}";
    HttpRequest req = HttpRequest.newBuilder(URI.create(h.baseUrl() + "/v1/messages")).timeout(Duration.ofSeconds(60))
        .header("x-api-key", AssembledGatewayHarness.ADMIN_KEY).header("anthropic-version", "2023-06-01")
        .header("x-request-id", rid).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> r = h.send(req);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode usage;
    JsonNode ext;
    if (stream) {
      JsonNode delta = null;
      for (String d : AssembledGatewayHarness.sseData(r.body())) {
        JsonNode n = WireJson.parse(d);
        if ("message_delta".equals(n.path("type").asText())) delta = n;
      }
      usage = delta.get("usage");
      ext = delta.get("sales_agent");
    } else {
      JsonNode m = WireJson.parse(r.body());
      usage = m.get("usage");
      ext = m.get("sales_agent");
    }
    long in = usage.get("input_tokens").asLong() + usage.get("cache_read_input_tokens").asLong();
    return new Seen(in, usage.get("output_tokens").asLong(), ext.get("cost_usd").decimalValue());
  }
}
