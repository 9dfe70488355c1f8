package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint × every kind of credential (sent as Authorization: Bearer, and where it applies as x-api-key and
 * x-litellm-api-key), against the real gateway over the emulators: no key, a wrong key, a
 * client key that owns the lead, another client key, a stored admin key and the bootstrap admin key. Each cell says
 * the status it must get; the lead endpoints also check tenancy (a client sees only its own leads, another client gets
 * 404 for them — the same answer as for a lead that does not exist — and admins see every tenant's). Every error body
 * is checked for internal text (exception names, SQL, stack frames) and for the key that was sent.
 */
class AuthzMatrixTest {
  static AssembledGatewayHarness h;

  enum Cred { NONE, BAD, OWNER, OTHER, ADMIN, ENV_ADMIN }

  static final String BAD_KEY = "sk-sa-this-is-not-a-key-0000";
  static String owner;
  static String ownerId;
  static String other;
  static String otherId;
  static String admin;
  static String ownerLead;
  static String adminLead;

  static final String CHAT = "{\"model\":\"task:qualification\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String MSG = "{\"model\":\"task:content\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String LEAD = "{\"first_name\":\"Dana\",\"email\":\"dana@northwind.com\",\"company\":\"Northwind\",\"job_title\":"
      + "\"VP of Sales\",\"employees\":850,\"notes\":\"Budget approved for Q1, evaluating tools this quarter.\"}";

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness();
    JsonNode a = created("{\"name\":\"tenant-a\"}");
    owner = a.get("key").asText();
    ownerId = a.get("id").asText();
    JsonNode b = created("{\"name\":\"tenant-b\"}");
    other = b.get("key").asText();
    otherId = b.get("id").asText();
    admin = created("{\"name\":\"ops\",\"scope\":\"admin\"}").get("key").asText();
    ownerLead = WireJson.parse(ok(h.post("/v1/leads", owner, LEAD)).body()).get("id").asText();
    adminLead = WireJson.parse(ok(h.post("/v1/leads", GatewayHarness.ADMIN_KEY, LEAD)).body()).get("id").asText();
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static JsonNode created(String body) {
    return WireJson.parse(ok(h.post("/v1/admin/keys", GatewayHarness.ADMIN_KEY, body)).body());
  }

  static HttpResponse<String> ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return r;
  }

  static String key(Cred c) {
    return switch (c) {
      case NONE -> null;
      case BAD -> BAD_KEY;
      case OWNER -> owner;
      case OTHER -> other;
      case ADMIN -> admin;
      case ENV_ADMIN -> GatewayHarness.ADMIN_KEY;
    };
  }

  /** One endpoint: how to call it and what each credential must get. */
  /** @param keyHeader how the key is sent: {@code null} = {@code Authorization: Bearer}, else that header */
  record Row(String name, String method, Supplier<String> path, String body, String contentType, String keyHeader,
             Expect expect) {}

  /** The status a credential must get. */
  interface Expect {
    int status(Cred c);
  }

  static final Expect OPEN = c -> 200;
  static final Expect ANY_KEY = c -> c == Cred.NONE || c == Cred.BAD ? 401 : 200;
  static final Expect ADMIN_ONLY = c -> c == Cred.NONE || c == Cred.BAD ? 401 : c == Cred.OWNER || c == Cred.OTHER ? 403 : 200;
  /** A resource of the owner's tenant: another client gets the same 404 as for a lead that does not exist. */
  static final Expect OWNERS = c -> c == Cred.NONE || c == Cred.BAD ? 401 : c == Cred.OTHER ? 404 : 200;
  /**
   * PUT on the owner's lead: for another client the id is not the one the email has in its tenant, so it gets the 400
   * any PUT on an id that does not follow the email gets — the same as for a lead that does not exist.
   */
  static final Expect OWNERS_PUT = c -> c == Cred.NONE || c == Cred.BAD ? 401 : c == Cred.OTHER ? 400 : 200;
  /** A resource of the admins' tenant: no client key sees it. */
  static final Expect ADMINS = c -> c == Cred.NONE || c == Cred.BAD ? 401 : c == Cred.OWNER || c == Cred.OTHER ? 404 : 200;

  /**
   * A decision on the owner's draft: the owner's is the first and applies (200); the admins' come after it on the same
   * state and are 409 (already decided); another client gets the 404 of a draft that does not exist.
   */
  static final Expect DECIDE_ONCE = c -> c == Cred.NONE || c == Cred.BAD ? 401 : c == Cred.OTHER ? 404
      : c == Cred.OWNER ? 200 : 409;

  static Row row(String name, String method, String path, String body, Expect e) {
    return new Row(name, method, () -> path, body, "application/json", null, e);
  }

  static List<Row> rows() {
    List<Row> r = new ArrayList<>();
    r.add(row("healthz", "GET", "/healthz", null, OPEN));
    r.add(row("readyz", "GET", "/readyz", null, OPEN));
    r.add(row("metrics", "GET", "/metrics", null, OPEN));
    r.add(row("chat", "POST", "/v1/chat/completions", CHAT, ANY_KEY));
    r.add(row("chat alias", "POST", "/chat/completions", CHAT, ANY_KEY));
    r.add(row("chat stream", "POST", "/v1/chat/completions", CHAT.replace("{", "{\"stream\":true,"), ANY_KEY));
    r.add(row("messages", "POST", "/v1/messages", MSG, ANY_KEY));
    r.add(new Row("messages x-api-key", "POST", () -> "/v1/messages", MSG, "application/json", "x-api-key", ANY_KEY));
    r.add(new Row("chat x-litellm-api-key", "POST", () -> "/v1/chat/completions", CHAT, "application/json", "x-litellm-api-key", ANY_KEY));
    r.add(new Row("admin keys x-litellm-api-key", "GET", () -> "/v1/admin/keys", null, null, "x-litellm-api-key", ADMIN_ONLY));
    r.add(new Row("owner lead x-litellm-api-key", "GET", () -> "/v1/leads/" + ownerLead, null, null, "x-litellm-api-key", OWNERS));
    r.add(row("models", "GET", "/v1/models", null, ANY_KEY));
    r.add(row("models alias", "GET", "/models", null, ANY_KEY));
    r.add(row("providers", "GET", "/v1/providers", null, ANY_KEY));
    r.add(row("usage", "GET", "/v1/usage", null, ANY_KEY));
    r.add(row("admin keys list", "GET", "/v1/admin/keys", null, ADMIN_ONLY));
    r.add(row("admin keys create", "POST", "/v1/admin/keys", "{\"name\":\"made-in-matrix\"}", ADMIN_ONLY));
    r.add(new Row("admin keys revoke", "DELETE", () -> "/v1/admin/keys/" + created("{\"name\":\"victim\"}").get("id").asText(),
        null, null, null, ADMIN_ONLY));
    r.add(new Row("admin keys limits", "PATCH", () -> "/v1/admin/keys/" + created("{\"name\":\"limited\"}").get("id").asText(),
        "{\"budget_usd\":3,\"rpm\":60}", "application/json", null, ADMIN_ONLY));
    r.add(row("runs list", "GET", "/v1/runs", null, ANY_KEY));
    r.add(row("console", "GET", "/console", null, OPEN));
    r.add(row("leads list", "GET", "/v1/leads", null, ANY_KEY));
    r.add(row("leads create", "POST", "/v1/leads", LEAD.replace("dana@", "sam@"), ANY_KEY));
    r.add(new Row("leads import", "POST", () -> "/v1/leads/import", "Email,First Name\nlee@acme.io,Lee\n", "text/csv", null, ANY_KEY));
    r.add(row("leads export", "GET", "/v1/leads/export", null, ANY_KEY));
    r.add(row("parse", "POST", "/v1/parse", "{\"text\":\"Dana Reyes\\nVP of Sales, Northwind\\ndana@northwind.com\"}", ANY_KEY));
    // the owner's lead: read, steps in their order, update, then delete (re-created before each delete cell)
    r.add(new Row("owner lead get", "GET", () -> "/v1/leads/" + ownerLead, null, null, null, OWNERS));
    r.add(new Row("owner lead qualify", "POST", () -> "/v1/leads/" + ownerLead + "/qualify", null, null, null, OWNERS));
    r.add(new Row("owner lead research", "POST", () -> "/v1/leads/" + ownerLead + "/research", null, null, null, OWNERS));
    r.add(new Row("owner lead outreach", "POST", () -> "/v1/leads/" + ownerLead + "/outreach", null, null, null, OWNERS));
    // the console's data endpoints and the review queue (issue 14)
    r.add(row("requests list", "GET", "/v1/requests", null, ANY_KEY));
    r.add(new Row("requests filtered by the owner's key", "GET", () -> "/v1/requests?key=" + ownerId, null, null, null,
        c -> c == Cred.NONE || c == Cred.BAD ? 401 : c == Cred.OTHER ? 403 : 200));
    r.add(new Row("owner request get", "GET", () -> "/v1/requests/" + ownerRequest(), null, null, null, OWNERS));
    r.add(row("usage timeseries", "GET", "/v1/usage/timeseries?bucket=hour&by=provider", null, ANY_KEY));
    r.add(row("drafts list", "GET", "/v1/drafts?status=pending", null, ANY_KEY));
    r.add(new Row("owner draft get", "GET", () -> "/v1/drafts/api." + ownerLead, null, null, null, OWNERS));
    r.add(new Row("owner draft edit", "POST", () -> "/v1/drafts/api." + ownerLead + "/edit",
        "{\"subject\":\"Budget approved for Q1\",\"body\":\"You are evaluating tools this quarter.\"}", "application/json", null, OWNERS));
    r.add(new Row("owner draft approve", "POST", () -> "/v1/drafts/api." + ownerLead + "/approve", null, null, null, DECIDE_ONCE));
    r.add(new Row("owner draft reject", "POST", () -> "/v1/drafts/api." + ownerLead + "/reject", "{\"reason\":\"matrix\"}",
        "application/json", null, DECIDE_ONCE));
    r.add(new Row("owner lead put", "PUT", () -> "/v1/leads/" + ownerLead, LEAD, "application/json", null, OWNERS_PUT));
    r.add(new Row("owner lead delete", "DELETE", () -> {
      ok(h.post("/v1/leads", owner, LEAD));
      return "/v1/leads/" + ownerLead;
    }, null, null, null, OWNERS));
    r.add(new Row("admin lead get", "GET", () -> "/v1/leads/" + adminLead, null, null, null, ADMINS));
    r.add(new Row("admin lead qualify", "POST", () -> "/v1/leads/" + adminLead + "/qualify", null, null, null, ADMINS));
    r.add(new Row("admin lead delete", "DELETE", () -> {
      ok(h.post("/v1/leads", GatewayHarness.ADMIN_KEY, LEAD));
      return "/v1/leads/" + adminLead;
    }, null, null, null, ADMINS));
    return r;
  }

  /** A request the owner's key made (its id from the response), once the ledger has written it. */
  static String ownerRequest() {
    String id = ok(h.post("/v1/chat/completions", owner, CHAT)).headers().firstValue("x-request-id").orElseThrow();
    assertThat(h.assembly.ledger().flush(Duration.ofSeconds(30))).isTrue();
    return id;
  }

  static HttpResponse<String> call(Row row, Cred c) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.baseUrl() + row.path().get())).timeout(Duration.ofSeconds(30));
    b.method(row.method(), row.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(row.body()));
    if (row.contentType() != null) b.header("content-type", row.contentType());
    String k = key(c);
    if (k != null) {
      if (row.keyHeader() == null) b.header("authorization", "Bearer " + k);
      else b.header(row.keyHeader(), k).header("anthropic-version", "2023-06-01");
    }
    return h.send(b.build());
  }

  @Test
  void everyEndpointAnswersEveryCredentialAsItMust() {
    List<String> wrong = new ArrayList<>();
    int cells = 0;
    for (Row row : rows()) {
      for (Cred c : Cred.values()) {
        HttpResponse<String> r = call(row, c);
        cells++;
        int want = row.expect().status(c);
        int got = r.statusCode();
        boolean match = want == 200 ? got >= 200 && got < 300 : got == want;
        if (!match) wrong.add(row.name() + " × " + c + ": want " + want + ", got " + got + " " + r.body());
        if (got >= 400) {
          String body = r.body();
          if (!body.contains("\"error\"")) wrong.add(row.name() + " × " + c + ": error without an error body: " + body);
          for (String leak : List.of("Exception", "SQL", "jdbc", "org.h2", "\tat ", "dev.salesagent.", "java.", "com.fasterxml")) {
            if (body.contains(leak)) wrong.add(row.name() + " × " + c + ": body discloses '" + leak + "': " + body);
          }
          String k = key(c);
          if (k != null && body.contains(k)) wrong.add(row.name() + " × " + c + ": body echoes the key");
        }
      }
    }
    assertThat(wrong).as("cells that answered wrong").isEmpty();
    assertThat(cells).isEqualTo(rows().size() * Cred.values().length);
  }

  @Test
  void aClientSeesOnlyItsOwnLeadsInListsAndExportsAndAdminsSeeAll() {
    String mine = "solo-" + System.nanoTime() + "@owner.example";
    ok(h.post("/v1/leads", owner, "{\"email\":\"" + mine + "\"}"));
    JsonNode ownerList = WireJson.parse(ok(h.get("/v1/leads?limit=1000", owner)).body());
    JsonNode otherList = WireJson.parse(ok(h.get("/v1/leads?limit=1000", other)).body());
    JsonNode adminList = WireJson.parse(ok(h.get("/v1/leads?limit=1000", admin)).body());
    assertThat(ownerList.toString()).contains(mine);
    assertThat(otherList.toString()).doesNotContain(mine);
    assertThat(adminList.toString()).contains(mine);
    assertThat(adminList.get("total").asLong()).isGreaterThan(ownerList.get("total").asLong());
    assertThat(ok(h.get("/v1/leads/export", other)).body()).doesNotContain(mine);
    assertThat(ok(h.get("/v1/leads/export", owner)).body()).contains(mine);
    // the same email in another tenant is another lead, with another id
    JsonNode theirs = WireJson.parse(ok(h.post("/v1/leads", other, "{\"email\":\"" + mine + "\",\"company\":\"B\"}")).body());
    assertThat(theirs.get("id").asText()).isEqualTo(Lead.idFor(otherId, mine)).isNotEqualTo(Lead.idFor(ownerId, mine));
    assertThat(h.get("/v1/leads/" + Lead.idFor(ownerId, mine), owner).body()).doesNotContain("\"B\"");
    // another tenant cannot overwrite the owner's lead through PUT on its id
    HttpResponse<String> put = h.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/v1/leads/" + Lead.idFor(ownerId, mine)))
        .header("authorization", "Bearer " + other).header("content-type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + mine + "\",\"company\":\"hijack\"}")).build());
    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(h.get("/v1/leads/" + Lead.idFor(ownerId, mine), owner).body()).doesNotContain("hijack");
  }
}
