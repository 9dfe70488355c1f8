package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.routing.UsageFilter;
import dev.salesagent.router.routing.UsageTotals;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayOptions;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/embeddings} through the assembled gateway (real store): each call is a ledger row with the reported input
 * tokens and its cost at the configured price, and {@code /v1/usage} shows it under the task {@code embedding}.
 */
class EmbeddingsLedgerTest {
  /** A priced OpenAI-compatible embedding model, served by the emulators' OpenAI endpoint. */
  static final String YAML = """
      providers:
        oai:
          kind: openai-compatible
          base_url: ${DEEPSEEK_BASE_URL}
          api_key_env: DEEPSEEK_API_KEY
          models:
            text-embedding-3-small: {context_window: 8191, input_usd_per_mtok: 0.02, output_usd_per_mtok: 0, capabilities: [embedding]}
      """;
  static AssembledGatewayHarness h;

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness(YAML, GatewayOptions.defaults().withPort(0).withEventLoops(2));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  @Test
  void eachCallIsALedgerRowWithUsageAndCost() {
    String prefix = "emb-ledger-" + System.nanoTime();
    HttpResponse<String> local = h.post("/v1/embeddings", AssembledGatewayHarness.ADMIN_KEY,
        "{\"model\":\"task:embedding\",\"input\":[\"first lead note\",\"second\"]}", "x-request-id", prefix + "-1");
    assertThat(local.statusCode()).as(local.body()).isEqualTo(200);
    HttpResponse<String> priced = h.post("/v1/embeddings", AssembledGatewayHarness.ADMIN_KEY,
        "{\"model\":\"oai/text-embedding-3-small\",\"input\":\"a priced text of some length\",\"encoding_format\":\"base64\"}",
        "x-request-id", prefix + "-2");
    assertThat(priced.statusCode()).as(priced.body()).isEqualTo(200);
    long localTokens = WireJson.parse(local.body()).get("usage").get("prompt_tokens").asLong();
    long pricedTokens = WireJson.parse(priced.body()).get("usage").get("prompt_tokens").asLong();
    BigDecimal pricedCost = new BigDecimal(priced.headers().firstValue("x-sales-agent-cost-usd").orElseThrow());
    assertThat(pricedCost).isEqualByComparingTo(BigDecimal.valueOf(pricedTokens * 0.02 / 1_000_000));

    h.assembly.ledger().flush();
    UsageTotals t = h.assembly.ledger().queries().total(UsageFilter.ALL.withRequestIdPrefix(prefix));
    assertThat(t.requests()).isEqualTo(2);
    assertThat(t.attempts()).isEqualTo(2);
    assertThat(t.inputTokens()).isEqualTo(localTokens + pricedTokens);
    assertThat(t.outputTokens()).isZero();
    assertThat(t.costUsd()).isEqualByComparingTo(pricedCost);

    JsonNode usage = WireJson.parse(h.get("/v1/usage?group_by=task&request_id_prefix=" + prefix, AssembledGatewayHarness.ADMIN_KEY).body());
    assertThat(usage.get("data")).hasSize(1);
    assertThat(usage.get("data").get(0).toString()).contains("embedding");
  }
}
