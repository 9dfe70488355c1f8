package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.csv.ImportResult;
import dev.salesagent.agent.csv.LeadCsvImporter;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.HubSpotEmulator;
import dev.salesagent.emulator.HubSpotEmulator.HubSpotFault;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crm pull|push} and {@code run --from hubspot --to hubspot} against the emulators: errors and a full round trip. */
class CrmCommandTest {
  static Vertx vertx;
  static Emulator emulator;
  @TempDir Path dir;
  Map<String, String> env;
  PrintStream savedOut;
  PrintStream savedErr;
  ByteArrayOutputStream out;
  ByteArrayOutputStream err;
  HubSpotEmulator hs;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    emulator = Emulator.start(vertx, EmulatorOptions.defaults()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    emulator.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close();
    RouterBoot.overrideEnv(null);
  }

  @BeforeEach
  void capture() {
    hs = emulator.hubspot();
    hs.reset();
    hs.rateLimit(100, 10_000);
    env = new HashMap<>();
    env.put("ANTHROPIC_API_KEY", "k");
    env.put("CEREBRAS_API_KEY", "k");
    env.put("DEEPSEEK_API_KEY", "k");
    env.put("ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl());
    env.put("CEREBRAS_BASE_URL", emulator.openAiRootUrl());
    env.put("DEEPSEEK_BASE_URL", emulator.openAiBaseUrl());
    env.put("OLLAMA_HOST", emulator.ollamaBaseUrl());
    env.put("SALES_AGENT_DB_URL", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
    env.put("HUBSPOT_BASE_URL", emulator.hubspotBaseUrl());
    env.put("HUBSPOT_TOKEN", HubSpotEmulator.DEFAULT_TOKEN);
    RouterBoot.overrideEnv(env);
    savedOut = System.out;
    savedErr = System.err;
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  /** The bundled sample leads as HubSpot contacts: every other one a `lead`, the rest `other`. */
  int seedSampleContacts() throws Exception {
    ImportResult r;
    try (InputStream in = getClass().getResourceAsStream("/samples/leads.csv")) {
      r = new LeadCsvImporter().read(in);
    }
    int leads = 0;
    for (int i = 0; i < r.leads().size(); i++) {
      Lead l = r.leads().get(i);
      Map<String, String> p = new HashMap<>();
      p.put("email", l.email());
      put(p, "firstname", l.firstName());
      put(p, "lastname", l.lastName());
      put(p, "company", l.company());
      put(p, "jobtitle", l.jobTitle());
      put(p, "phone", l.phone());
      put(p, "website", l.website());
      put(p, "industry", l.industry());
      put(p, "country", l.country());
      put(p, "message", l.notes());
      if (l.employees() != null) p.put("numemployees", l.employees().hubspotOption());
      p.put("lifecyclestage", i % 2 == 0 ? "lead" : "other");
      if (i % 2 == 0) leads++;
      hs.seed(p, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i));
    }
    return leads;
  }

  static void put(Map<String, String> m, String k, String v) {
    if (v != null) m.put(k, v);
  }

  @Test
  void aMissingTokenNamesTheVariableAndExitsTwo() throws Exception {
    env.remove("HUBSPOT_TOKEN");
    RouterBoot.overrideEnv(env);
    assertThat(Main.execute("crm", "pull", "--out", dir.resolve("c.csv").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("crm pull: set HUBSPOT_TOKEN to a HubSpot private-app access token");
    assertThat(Main.execute("crm", "push")).isEqualTo(2);
    assertThat(err.toString()).contains("crm push: set HUBSPOT_TOKEN");
    assertThat(Main.execute("run", "--from", "hubspot", "--out", dir.resolve("o").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("run: set HUBSPOT_TOKEN");
    assertThat(Main.execute("run", "--from", "salesforce")).isEqualTo(2);
    assertThat(err.toString()).contains("run: --from takes csv or hubspot");
    assertThat(Main.execute("crm", "pull", "--created-after", "yesterday")).isEqualTo(2);
    assertThat(err.toString()).contains("'yesterday' is not a date (YYYY-MM-DD)");
    assertThat(dir.resolve("o")).doesNotExist();
    assertThat(hs.requests()).isEmpty();
    assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aWrongTokenIsAnUpstreamFailureThatNeverShowsTheToken() throws Exception {
    env.put("HUBSPOT_TOKEN", "pat-na1-wrong-secret");
    RouterBoot.overrideEnv(env);
    assertThat(Main.execute("crm", "pull", "--out", dir.resolve("c.csv").toString())).isEqualTo(3);
    assertThat(err.toString()).contains("crm pull: pull failed: authentication: HubSpot 401 INVALID_AUTHENTICATION")
        .contains("check HUBSPOT_TOKEN").doesNotContain("pat-na1-wrong-secret");
    assertThat(out.toString()).doesNotContain("pat-na1-wrong-secret");
    assertThat(dir.resolve("c.csv")).doesNotExist();
  }

  @Test
  void pullWritesTheFilteredContactsAsALeadsCsv() throws Exception {
    int leads = seedSampleContacts();
    Path csv = dir.resolve("pulled.csv");
    assertThat(Main.execute("crm", "pull", "--lifecycle-stage", "lead", "--created-after", "2026-01-01", "--out", csv.toString())).isZero();
    assertThat(Files.readAllLines(csv).get(0)).startsWith("First Name,Last Name,Email,Company,Job Title,Phone Number");
    ImportResult back = new LeadCsvImporter().read(csv);
    assertThat(back.leads()).hasSize(leads);
    assertThat(back.issues()).isEmpty(); // what a pull writes imports cleanly
    assertThat(out.toString()).contains("pulled " + leads + " contacts from HubSpot");
    assertThat(Main.execute("crm", "pull", "--created-after", "2030-01-01", "--out", csv.toString())).isZero();
    assertThat(new LeadCsvImporter().read(csv).leads()).isEmpty();
  }

  /** Pull → run → push on the emulators, HubSpot rate-limiting and failing part of a batch on the way. */
  @Test
  void runFromHubSpotToHubSpotRoundTripsThroughRateLimitsAndAPartialFailure() throws Exception {
    int leads = seedSampleContacts();
    hs.rateLimit(6, 200);
    hs.next(HubSpotFault.RATE_LIMIT, 1).next(HubSpotFault.PARTIAL_FAILURE, 1);
    Path o = dir.resolve("run-out");
    int code = Main.execute("run", "--from", "hubspot", "--lifecycle-stage", "lead", "--to", "hubspot", "--out", o.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(o.resolve("hubspot-contacts.csv")).exists();
    assertThat(o.resolve("results.csv")).exists();
    String s = out.toString();
    assertThat(s).contains("pulled " + leads + " contacts from HubSpot")
        .containsPattern("HubSpot push of [^ ]+ \\(" + java.util.regex.Pattern.quote(emulator.hubspotBaseUrl())
            + "\\): " + leads + " contacts written \\([1-9][0-9]* after a per-record retry\\), [1-9][0-9]* notes, 0 approved drafts, 0 note failures, 0 failed");
    assertThat(hs.pendingFaults()).isZero();
    List<HubSpotEmulator.Contact> pushed = hs.contacts().stream()
        .filter(c -> "lead".equals(c.properties().get("lifecyclestage"))).toList();
    assertThat(pushed).hasSize(leads).allSatisfy(c -> {
      assertThat(c.properties()).containsKeys("sales_agent_tier", "sales_agent_run_id").doesNotContainKey("sales_agent_draft_body");
      assertThat(c.properties().get("sales_agent_tier")).isIn("hot", "warm", "cold", "disqualified");
    });
    assertThat(hs.contacts().stream().filter(c -> "other".equals(c.properties().get("lifecyclestage"))))
        .allSatisfy(c -> assertThat(c.properties()).doesNotContainKey("sales_agent_tier"));
    long researched = pushed.stream().filter(c -> !hs.notesFor(c.id()).isEmpty()).count();
    assertThat(researched).isEqualTo(hs.notes().size()).isPositive();
    assertThat(hs.notes()).allSatisfy(n -> assertThat(n.properties().get("hs_note_body")).contains("Sales Agent research brief"));
    List<String> report = Files.readAllLines(o.resolve("hubspot-push.csv"));
    assertThat(report.get(0)).isEqualTo("Email,Status,Contact ID,Note ID,Retried,Error");
    assertThat(report).hasSize(leads + 1);
    assertThat(report.subList(1, report.size())).allSatisfy(l -> assertThat(l).contains(",pushed,"));
    assertThat(hs.requests("POST /crm/v3/objects/notes/batch/create")).isEqualTo(1); // all notes in one call
    // pushing the same run again updates the same contacts and the notes it wrote (recorded in crm_pushes): no duplicate
    int contacts = hs.contacts().size();
    List<String> noteIds = hs.notes().stream().map(HubSpotEmulator.Note::id).sorted().toList();
    assertThat(Main.execute("crm", "push", "--out", o.toString())).isZero();
    assertThat(hs.contacts()).hasSize(contacts);
    assertThat(hs.notes().stream().map(HubSpotEmulator.Note::id).sorted().toList()).isEqualTo(noteIds);
    assertThat(hs.requests("PATCH /crm/v3/objects/notes/{noteId}")).isEqualTo(noteIds.size());
    assertThat(hs.requests("POST /crm/v3/objects/notes/batch/create")).isEqualTo(1);
    assertThat(out.toString()).contains(noteIds.size() + " notes (" + noteIds.size() + " updated in place)");
  }

  /** Only a draft approved in the review queue reaches HubSpot; a pending or rejected one does not. */
  @Test
  void aPushCarriesTheDraftsApprovedInTheReviewQueueOnly() throws Exception {
    seedSampleContacts();
    Path o = dir.resolve("run-out");
    assertThat(Main.execute("run", "--from", "hubspot", "--lifecycle-stage", "lead", "--out", o.toString())).as(err.toString()).isZero();
    out.reset();
    String db = env.get("SALES_AGENT_DB_URL");
    assertThat(Main.execute("drafts", "list", "--status", "pending", "--limit", "200", "--db-url", db)).isZero();
    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
    List<com.fasterxml.jackson.databind.JsonNode> drafts = new java.util.ArrayList<>();
    for (String line : out.toString().split("\n")) if (line.startsWith("{")) drafts.add(m.readTree(line));
    assertThat(drafts).hasSizeGreaterThanOrEqualTo(3);
    String approved = drafts.get(0).path("lead").path("email").asText();
    String rejected = drafts.get(1).path("lead").path("email").asText();
    String pending = drafts.get(2).path("lead").path("email").asText();
    assertThat(Main.execute("drafts", "approve", drafts.get(0).path("id").asText(), "--db-url", db)).isZero();
    assertThat(Main.execute("drafts", "reject", drafts.get(1).path("id").asText(), "--reason", "too pushy", "--db-url", db)).isZero();

    out.reset();
    assertThat(Main.execute("crm", "push", "--out", o.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains(", 1 approved drafts, ");
    assertThat(hs.contactByEmail(approved).orElseThrow().properties())
        .containsEntry("sales_agent_draft_subject", drafts.get(0).path("subject").asText())
        .containsEntry("sales_agent_draft_body", drafts.get(0).path("full_text").asText());
    assertThat(hs.contactByEmail(rejected).orElseThrow().properties()).doesNotContainKeys("sales_agent_draft_subject", "sales_agent_draft_body");
    assertThat(hs.contactByEmail(pending).orElseThrow().properties()).doesNotContainKeys("sales_agent_draft_subject", "sales_agent_draft_body");
    assertThat(hs.contacts().stream().filter(c -> c.properties().containsKey("sales_agent_draft_body"))).hasSize(1);
  }

  /** A reply triaged as interested queued a next action for its lead: the next push carries it, then the queue is empty. */
  @Test
  void aNextActionQueuedByAnInterestedReplyReachesHubSpotOnceAndLeavesTheQueue() throws Exception {
    seedSampleContacts();
    Path o = dir.resolve("run-out");
    assertThat(Main.execute("run", "--from", "hubspot", "--lifecycle-stage", "lead", "--out", o.toString())).as(err.toString()).isZero();
    String db = env.get("SALES_AGENT_DB_URL");
    String leadId;
    String email;
    try (dev.salesagent.store.Database d = dev.salesagent.store.Database.open(db)) {
      var row = d.jdbi().withHandle(h -> h.createQuery("SELECT id, email FROM leads WHERE email IS NOT NULL ORDER BY id")
          .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).first());
      leadId = row[0];
      email = row[1];
      new dev.salesagent.store.mail.JdbcReplyLog(d).queue(leadId, "Answer today and book the call they asked for", "Can we talk Thursday?");
    }
    out.reset();
    assertThat(Main.execute("crm", "push", "--out", o.toString())).as(err.toString()).isZero();
    assertThat(hs.contactByEmail(email).orElseThrow().properties())
        .containsEntry("sales_agent_next_action", "Answer today and book the call they asked for");
    try (dev.salesagent.store.Database d = dev.salesagent.store.Database.open(db)) {
      assertThat(new dev.salesagent.store.mail.JdbcReplyLog(d).pending()).as("delivered entries leave the queue").isEmpty();
    }
  }

  @Test
  void pushWithoutARunSaysWhichRunIsMissing() throws Exception {
    assertThat(Main.execute("crm", "push", "--run", "R-none")).isEqualTo(2);
    assertThat(err.toString()).contains("crm push: no run R-none in this database");
    assertThat(Main.execute("crm", "push", "--out", dir.resolve("nothing").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no run wrote to");
  }
}
