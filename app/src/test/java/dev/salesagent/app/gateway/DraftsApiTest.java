package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The review queue over loopback HTTP on the assembled gateway (H2, the emulators drafting): list, show, edit with the
 * grounding re-check (422 with violations, nothing saved), approve, reject with a reason, every decision recorded with
 * the caller's key, tenancy (another client key gets 404), keyset paging, and the export marking approved drafts.
 */
class DraftsApiTest {
  static AssembledGatewayHarness h;
  static String a;
  static String aId;
  static String b;

  static final String LEAD = "{\"first_name\":\"Dana\",\"last_name\":\"Reyes\",\"email\":\"%s\",\"company\":\"Northwind\","
      + "\"job_title\":\"VP of Sales\",\"employees\":850,\"notes\":\"Budget approved for Q1, evaluating tools this quarter. "
      + "Our team of 40 reps loses deals to slow follow-up.\"}";

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness();
    JsonNode ka = json(ok(h.post("/v1/admin/keys", GatewayHarness.ADMIN_KEY, "{\"name\":\"tenant-a\"}")));
    a = ka.get("key").asText();
    aId = ka.get("id").asText();
    b = json(ok(h.post("/v1/admin/keys", GatewayHarness.ADMIN_KEY, "{\"name\":\"tenant-b\"}"))).get("key").asText();
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

  /** A lead of {@code key}'s tenant, qualified, researched and drafted through the API: its draft id. */
  static String drafted(String key, String email) {
    String lead = json(ok(h.post("/v1/leads", key, LEAD.formatted(email)))).get("id").asText();
    for (String step : List.of("qualify", "research", "outreach")) ok(h.post("/v1/leads/" + lead + "/" + step, key, ""));
    return "api." + lead;
  }

  @Test
  void aDraftIsEditedWithGroundingCheckedApprovedRejectedAndEveryDecisionIsRecorded() throws Exception {
    String id = drafted(a, "dana@northwind-review.com");
    JsonNode d = json(ok(h.get("/v1/drafts/" + id, a)));
    assertThat(d.get("status").asText()).isEqualTo("pending");
    assertThat(d.get("ready_to_send").asBoolean()).isFalse();
    assertThat(d.get("decisions")).isEmpty();
    String subject = d.get("subject").asText();

    // another tenant sees nothing of it: the same 404 as a draft that does not exist
    assertThat(h.get("/v1/drafts/" + id, b).statusCode()).isEqualTo(404);
    assertThat(h.post("/v1/drafts/" + id + "/approve", b, "").statusCode()).isEqualTo(404);
    assertThat(json(ok(h.get("/v1/drafts", b))).get("data").toString()).doesNotContain(id);
    assertThat(json(ok(h.get("/v1/drafts", a))).get("data").toString()).contains(id);
    assertThat(json(ok(h.get("/v1/drafts", GatewayHarness.ADMIN_KEY))).get("data").toString()).contains(id);

    // an edit claiming a figure the lead never gave is refused with the violation, and nothing changes
    HttpResponse<String> bad = h.post("/v1/drafts/" + id + "/edit", a,
        "{\"subject\":\"Cut costs by 87%\",\"body\":\"Teams like yours cut costs by 87% in a month.\"}");
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(422);
    JsonNode err = json(bad).get("error");
    assertThat(err.get("code").asText()).isEqualTo("grounding_failed");
    assertThat(err.get("violations").toString()).contains("87");
    assertThat(json(ok(h.get("/v1/drafts/" + id, a))).get("subject").asText()).isEqualTo(subject);
    HttpResponse<String> placeholder = h.post("/v1/drafts/" + id + "/edit", a,
        "{\"subject\":\"Hello [First Name]\",\"body\":\"A short note.\"}");
    assertThat(placeholder.statusCode()).isEqualTo(422);
    assertThat(placeholder.body()).contains("placeholder");

    // a grounded edit is saved, still pending; approve makes it ready to send
    JsonNode edited = json(ok(h.post("/v1/drafts/" + id + "/edit", a,
        "{\"subject\":\"Faster follow-up for Northwind\",\"body\":\"Your notes say the team of 40 reps loses deals to slow follow-up.\"}")));
    assertThat(edited.get("status").asText()).isEqualTo("pending");
    assertThat(edited.get("edited").asBoolean()).isTrue();
    assertThat(edited.get("original").get("subject").asText()).isEqualTo(subject);
    JsonNode approved = json(ok(h.post("/v1/drafts/" + id + "/approve", a, "")));
    assertThat(approved.get("status").asText()).isEqualTo("approved");
    assertThat(approved.get("ready_to_send").asBoolean()).isTrue();
    assertThat(approved.get("review").get("by").get("key_id").asText()).isEqualTo(aId);
    assertThat(h.post("/v1/drafts/" + id + "/approve", a, "").statusCode()).isEqualTo(409);

    // the export marks it approved, with the reviewed text
    CSVRecord row = exportRow(a, "dana@northwind-review.com");
    assertThat(row.get("Draft Status")).isEqualTo("approved");
    assertThat(row.get("Outreach Subject")).isEqualTo("Faster follow-up for Northwind");
    assertThat(row.get("Outreach Body")).startsWith("Your notes say the team of 40 reps");

    // reject needs a reason; with one it is recorded
    assertThat(h.post("/v1/drafts/" + id + "/reject", a, "{}").statusCode()).isEqualTo(400);
    JsonNode rejected = json(ok(h.post("/v1/drafts/" + id + "/reject", a, "{\"reason\":\"tone is off\"}")));
    assertThat(rejected.get("status").asText()).isEqualTo("rejected");
    assertThat(rejected.get("review").get("reason").asText()).isEqualTo("tone is off");
    assertThat(exportRow(a, "dana@northwind-review.com").get("Draft Status")).isEqualTo("rejected");

    JsonNode decisions = rejected.get("decisions");
    assertThat(decisions).hasSize(3);
    assertThat(decisions.get(0).get("action").asText()).isEqualTo("edit");
    assertThat(decisions.get(0).get("before").get("subject").asText()).isEqualTo(subject);
    assertThat(decisions.get(0).get("after").get("subject").asText()).isEqualTo("Faster follow-up for Northwind");
    assertThat(decisions.get(1).get("action").asText()).isEqualTo("approve");
    assertThat(decisions.get(2).get("action").asText()).isEqualTo("reject");
    assertThat(decisions.get(2).get("reason").asText()).isEqualTo("tone is off");
    for (JsonNode dec : decisions) {
      assertThat(dec.get("by").get("key_id").asText()).isEqualTo(aId);
      assertThat(dec.get("at").asText()).isNotBlank();
    }
    // filtered by status
    assertThat(json(ok(h.get("/v1/drafts?status=rejected", a))).get("data").toString()).contains(id);
    assertThat(json(ok(h.get("/v1/drafts?status=pending", a))).get("data").toString()).doesNotContain(id);
    assertThat(h.get("/v1/drafts?status=sent", a).statusCode()).isEqualTo(400);
  }

  @Test
  void theQueuePagesByKeysetWithoutGapsOrRepeats() {
    String key = json(ok(h.post("/v1/admin/keys", GatewayHarness.ADMIN_KEY, "{\"name\":\"pager\"}"))).get("key").asText();
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 3; i++) made.add(drafted(key, "p" + i + "@pager-example.com"));
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = json(ok(h.get("/v1/drafts?limit=2&run=api" + (cursor == null ? "" : "&cursor=" + cursor), key)));
      page.get("data").forEach(d -> seen.add(d.get("id").asText()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      pages++;
    } while (cursor != null && pages < 5);
    assertThat(pages).isEqualTo(2);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(made);
    assertThat(h.get("/v1/drafts?cursor=not-a-cursor", key).statusCode()).isEqualTo(400);
  }

  static CSVRecord exportRow(String key, String email) throws Exception {
    String csv = ok(h.get("/v1/leads/export", key)).body();
    for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv))) {
      if (r.get("Email").equals(email)) return r;
    }
    throw new AssertionError("no row for " + email + " in " + csv);
  }
}
