package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.wire.WireJson;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sales endpoints as {@code serve} wires them: the JDBI lead store and step records on H2, the router over the
 * emulators, one meaning of a step with the CLI (prerequisites, records, the export's join), and a restart.
 */
class SalesEndpointsTest {
  static AssembledGatewayHarness h;
  static final String K = AssembledGatewayHarness.ADMIN_KEY;

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness();
  }

  @AfterAll
  static void down() {
    h.close();
  }

  @Test
  void stepsAreRecordedInTheStoreWithTheirPrerequisitesAndExported() {
    HttpResponse<String> created = h.post("/v1/leads", K, "{\"first_name\":\"Dana\",\"email\":\"dana@northwind.example\","
        + "\"company\":\"Northwind\",\"job_title\":\"VP of Sales\",\"employees\":850,"
        + "\"notes\":\"Budget approved for Q1, evaluating tools this quarter.\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = WireJson.parse(created.body()).get("id").asText();

    HttpResponse<String> early = h.post("/v1/leads/" + id + "/research", K, "");
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(WireJson.parse(early.body()).at("/error/message").asText())
        .isEqualTo("lead " + id + " has no qualify result yet: POST /v1/leads/" + id + "/qualify first");

    HttpResponse<String> q = h.post("/v1/leads/" + id + "/qualify", K, "");
    assertThat(q.statusCode()).as(q.body()).isEqualTo(200);
    JsonNode qj = WireJson.parse(q.body());
    assertThat(qj.get("status").asText()).isEqualTo("done");
    assertThat(qj.get("prompt_version").asText()).isEqualTo("qualify.v1");
    assertThat(qj.get("cost_usd").asDouble()).isPositive();
    assertThat(q.headers().firstValue("x-request-id")).isPresent();

    HttpResponse<String> r = h.post("/v1/leads/" + id + "/research", K, "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    HttpResponse<String> o = h.post("/v1/leads/" + id + "/outreach", K, "");
    assertThat(o.statusCode()).as(o.body()).isEqualTo(200);

    // The records are in the database: they survive a restart of the gateway.
    h.stop();
    h.start();
    JsonNode one = WireJson.parse(h.get("/v1/leads/" + id, K).body());
    assertThat(one.at("/qualify/status").asText()).isEqualTo("done");
    assertThat(one.at("/research/status").asText()).isEqualTo("done");
    assertThat(one.at("/outreach/result/subject").asText()).isNotBlank();
    assertThat(one.get("parse").isNull()).isTrue();

    HttpResponse<String> csv = h.get("/v1/leads/export", K);
    assertThat(csv.statusCode()).isEqualTo(200);
    String[] lines = csv.body().split("\r?\n");
    assertThat(lines[0]).endsWith("Lead Score,Lead Tier,Qualification Reasons,Next Action,Outreach Subject,Outreach Body,ICP Fit,Tier Reason,Draft Status");
    assertThat(csv.body()).contains("dana@northwind.example");

    // Every step call went through the router under the request's id: the ledger has them.
    h.assembly.ledger().flush();
    JsonNode usage = WireJson.parse(h.get("/v1/usage?group_by=task", K).body());
    assertThat(usage.get("data").toString()).contains("qualification").contains("research").contains("content");
  }
}
