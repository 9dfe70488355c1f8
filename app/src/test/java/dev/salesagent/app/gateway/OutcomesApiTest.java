package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.router.wire.WireJson;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/outcomes/cost} over loopback HTTP on the assembled gateway: after a lead is qualified, researched,
 * drafted (emulators) and its draft approved, the table counts the approval and divides the spend; admin keys only.
 */
class OutcomesApiTest {
  static AssembledGatewayHarness h;

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness();
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static JsonNode ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return WireJson.parse(r.body());
  }

  @Test
  void costPerApprovedDraftAfterAnApprovalAndAdminOnly() {
    String admin = GatewayHarness.ADMIN_KEY;
    JsonNode before = ok(h.get("/v1/outcomes/cost", admin));
    assertThat(before.get("counts").get("approved_draft").asLong()).isZero();
    assertThat(before.get("total").get("per_outcome").get("approved_draft").isNull()).isTrue();

    String lead = ok(h.post("/v1/leads", admin, String.format(DraftsApiTest.LEAD, "dana@outcomes.example"))).get("id").asText();
    for (String step : List.of("qualify", "research", "outreach")) ok(h.post("/v1/leads/" + lead + "/" + step, admin, ""));
    ok(h.post("/v1/drafts/api." + lead + "/approve", admin, ""));

    JsonNode after = ok(h.get("/v1/outcomes/cost", admin));
    assertThat(after.get("run").isNull()).isTrue();
    assertThat(after.get("counts").get("approved_draft").asLong()).isEqualTo(1);
    double total = after.get("total").get("cost_usd").asDouble();
    assertThat(total).isPositive();
    assertThat(after.get("total").get("per_outcome").get("approved_draft").asDouble()).isEqualTo(total, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(after.get("rows").toString()).contains("\"task\":\"qualification\"").contains("\"task\":\"content\"");
    assertThat(after.get("total").get("per_outcome").get("sent_email").isNull()).isTrue();

    String client = ok(h.post("/v1/admin/keys", admin, "{\"name\":\"c\"}")).get("key").asText();
    assertThat(h.get("/v1/outcomes/cost", client).statusCode()).isEqualTo(403);
    assertThat(h.get("/v1/outcomes/cost", null).statusCode()).isEqualTo(401);
  }
}
