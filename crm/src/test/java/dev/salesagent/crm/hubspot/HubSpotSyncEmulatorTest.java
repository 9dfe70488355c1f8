package dev.salesagent.crm.hubspot;

import static dev.salesagent.emulator.JsonShapes.hubspotDoc;
import static dev.salesagent.emulator.JsonShapes.missingFrom;
import static dev.salesagent.emulator.JsonShapes.unknownIn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.salesagent.agent.crm.ContactQuery;
import dev.salesagent.agent.crm.PullResult;
import dev.salesagent.agent.crm.PushOutcome;
import dev.salesagent.agent.crm.PushRecord;
import dev.salesagent.agent.crm.PushReport;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.HubSpotEmulator;
import dev.salesagent.emulator.HubSpotEmulator.HubSpotFault;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pull and push over real loopback HTTP against the HubSpot emulator, with its limits and faults. */
class HubSpotSyncEmulatorTest {
  static final ObjectMapper M = new ObjectMapper();
  static Vertx vertx;
  static Emulator emu;
  HubSpotEmulator hs;
  HubSpotClient client;
  HubSpotSync sync;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    emu = Emulator.start(vertx, EmulatorOptions.defaults()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    emu.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close();
  }

  @BeforeEach
  void fresh() {
    hs = emu.hubspot();
    hs.reset();
    hs.requireToken(HubSpotEmulator.DEFAULT_TOKEN);
    hs.rateLimit(100, 10_000);
    client = new HubSpotClient(vertx, new HubSpotClient.Settings(emu.hubspotBaseUrl(), HubSpotEmulator.DEFAULT_TOKEN, 3, 20, 5, 10_000));
    sync = new HubSpotSync(client, Clock.systemUTC());
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer; HubSpot emulator requests: " + emu.hubspot().requests(), e);
    }
  }

  static Lead lead(int i) {
    return new Lead(null, "First" + i, "Last" + i, "lead" + i + "@example.com", "Co " + i, "VP Sales", null, null, null, null, null, null);
  }

  static PushRecord record(int i, String tier, String brief) {
    return new PushRecord(lead(i), "run-7", 40 + i % 60, tier, "because " + i, "next " + i, "partial", null, null, brief);
  }

  @Test
  void pullPagesThroughEveryMatchAndAppliesTheFilters() throws Exception {
    for (int i = 0; i < 230; i++) {
      hs.seed(Map.of("email", "c" + i + "@x.com", "firstname", "C" + i, "lastname", "L", "phone", i == 3 ? "n/a" : "+12065550100",
          "lifecyclestage", i % 2 == 0 ? "lead" : "customer"), Instant.parse("2024-01-01T00:00:00Z").plusSeconds(3600L * i));
    }
    PullResult leads = await(sync.pull(new ContactQuery("lead", null, 0)));
    assertThat(leads.leads()).hasSize(115);
    assertThat(leads.contactsRead()).isEqualTo(115);
    assertThat(hs.requests("POST /crm/v3/objects/contacts/search")).isEqualTo(2); // 100 + 15, paged by after
    JsonNode lastSearch = M.readTree(hs.lastBody("POST /crm/v3/objects/contacts/search").orElseThrow());
    assertThat(unknownIn(hubspotDoc("search-request.json"), lastSearch)).isEmpty();
    assertThat(missingFrom(hubspotDoc("search-request.json"), lastSearch)).isEmpty(); // page 2 carries after
    assertThat(leads.warnings()).isEmpty(); // c3 is a customer
    PullResult all = await(sync.pull(ContactQuery.all()));
    assertThat(all.leads()).hasSize(230);
    assertThat(all.warnings()).singleElement().asString().contains("c3@x.com").contains("placeholder");
    // created on or after 2024-01-09 (hour 192 onwards): c192..c229
    assertThat(await(sync.pull(new ContactQuery(null, LocalDate.of(2024, 1, 9), 0))).leads()).hasSize(38);
    assertThat(await(sync.pull(new ContactQuery(null, null, 30))).leads()).hasSize(30);
  }

  @Test
  void pushCreatesTheGroupAndPropertiesOnceThenUpsertsAndWritesNotesWithDocumentedShapes() throws Exception {
    PushReport first = await(sync.push(List.of(record(1, "hot", "Summary: grows fast"), record(2, "cold", null))));
    assertThat(first.complete()).isTrue();
    assertThat(first.propertiesCreated()).containsExactlyElementsOf(HubSpotContactMapping.CUSTOM.stream()
        .map(HubSpotContactMapping.PropertySpec::name).toList());
    assertThat(hs.group("sales_agent")).isPresent();
    assertThat(hs.property("sales_agent_tier_reason").orElseThrow().groupName()).isEqualTo("sales_agent");
    HubSpotEmulator.Contact c1 = hs.contactByEmail("lead1@example.com").orElseThrow();
    assertThat(c1.properties()).containsEntry("sales_agent_tier", "hot").containsEntry("sales_agent_score", "41")
        .containsEntry("sales_agent_run_id", "run-7").containsEntry("firstname", "First1");
    assertThat(hs.notesFor(c1.id())).singleElement().satisfies(n -> assertThat(n.properties().get("hs_note_body")).contains("grows fast"));
    assertThat(first.outcomes().get(0).noteId()).isEqualTo(hs.notesFor(c1.id()).get(0).id());
    assertThat(first.outcomes().get(1).noteId()).isNull(); // no brief, no note
    for (String[] e : new String[][] {{"POST /crm/v3/objects/contacts/batch/upsert", "batch-upsert-request.json"},
        {"POST /crm/v3/objects/notes/batch/create", "notes-batch-create-request.json"}, {"POST /crm/v3/properties/contacts", "property-create-request.json"},
        {"POST /crm/v3/properties/contacts/groups", "group-create-request.json"}}) {
      JsonNode sent = M.readTree(hs.lastBody(e[0]).orElseThrow());
      assertThat(unknownIn(hubspotDoc(e[1]), sent)).as(e[0]).isEmpty();
      assertThat(missingFrom(hubspotDoc(e[1]), sent)).as(e[0]).isEmpty();
    }
    // a second push finds the properties and updates the same contacts
    int creates = hs.requests("POST /crm/v3/properties/contacts");
    PushReport second = await(sync.push(List.of(record(1, "warm", null))));
    assertThat(second.propertiesCreated()).isEmpty();
    assertThat(hs.requests("POST /crm/v3/properties/contacts")).isEqualTo(creates);
    assertThat(hs.contactByEmail("lead1@example.com").orElseThrow().properties()).containsEntry("sales_agent_tier", "warm");
    assertThat(hs.contacts()).hasSize(2);
  }

  @Test
  void rateLimitsPartialFailuresAndServerErrorsEndWithEveryRecordWrittenAndReported() throws Exception {
    hs.rateLimit(5, 150); // 5 requests per 150 ms window: the client must pace itself and wait out the 429s
    // the first call is refused 429, the second 500; the first batch upsert answers 207 for every odd input
    hs.next(HubSpotFault.RATE_LIMIT, 1).next(HubSpotFault.SERVER_ERROR, 1).next(HubSpotFault.PARTIAL_FAILURE, 1);
    List<PushRecord> records = new ArrayList<>();
    for (int i = 0; i < 230; i++) records.add(record(i, i % 3 == 0 ? "hot" : "cold", i % 10 == 0 ? "Summary: brief " + i : null));
    PushReport r = await(sync.push(records));
    assertThat(hs.pendingFaults()).isZero();
    assertThat(r.outcomes()).hasSize(230).allSatisfy(o -> assertThat(o.status()).isEqualTo(PushOutcome.Status.PUSHED));
    assertThat(r.outcomes()).filteredOn(PushOutcome::retried).hasSize(50); // odd inputs of the first batch of 100
    assertThat(hs.contacts()).hasSize(230);
    assertThat(hs.notes()).hasSize(23);
    assertThat(hs.requests("POST /crm/v3/objects/contacts/batch/upsert")).isEqualTo(3 + 50);
    assertThat(r.outcomes()).extracting(PushOutcome::email).doesNotHaveDuplicates();
  }

  @Test
  void aRecordHubSpotRefusesIsRetriedOnceAndReportedWithItsReasonTheOthersWritten() throws Exception {
    // an admin made the tier a dropdown without "cold": HubSpot refuses that value for those contacts only
    await(client.call(io.vertx.core.http.HttpMethod.POST, "/crm/v3/properties/contacts/groups",
        M.readTree("{\"name\":\"sales_agent\",\"label\":\"Sales Agent\"}"), true, java.util.Set.of()));
    await(client.call(io.vertx.core.http.HttpMethod.POST, "/crm/v3/properties/contacts", M.readTree("""
        {"name":"sales_agent_tier","label":"Tier","type":"enumeration","fieldType":"select","groupName":"sales_agent",
         "options":[{"label":"Hot","value":"hot"},{"label":"Warm","value":"warm"}]}"""), true, java.util.Set.of()));
    PushReport r = await(sync.push(List.of(record(1, "hot", "Summary: a"), record(2, "cold", "Summary: b"), record(3, "warm", null))));
    assertThat(r.complete()).isFalse();
    assertThat(r.propertiesCreated()).doesNotContain("sales_agent_tier");
    PushOutcome cold = r.outcomes().get(1);
    assertThat(cold.status()).isEqualTo(PushOutcome.Status.FAILED);
    assertThat(cold.retried()).isTrue();
    assertThat(cold.error()).contains("VALIDATION_ERROR").contains("sales_agent_tier").contains("cold was not one of the allowed options");
    assertThat(r.outcomes().get(0).status()).isEqualTo(PushOutcome.Status.PUSHED);
    assertThat(r.outcomes().get(2).status()).isEqualTo(PushOutcome.Status.PUSHED);
    assertThat(hs.contactByEmail("lead2@example.com")).isEmpty(); // nothing half-written
    assertThat(hs.notes()).hasSize(1);
  }

  @Test
  void aNoteThatFailsLeavesTheContactWrittenAndSaysSo() throws Exception {
    PushReport warm = await(sync.push(List.of(record(1, "hot", null))));
    assertThat(warm.complete()).isTrue();
    // a note batch is not resent after a 5xx (its notes may exist): each record reports it instead
    hs.nextOn("POST /crm/v3/objects/notes/batch/create", HubSpotFault.SERVER_ERROR, 1);
    PushReport r = await(sync.push(List.of(record(1, "hot", "Summary: a"), record(2, "warm", "Summary: b"))));
    assertThat(r.outcomes()).allSatisfy(o -> {
      assertThat(o.status()).isEqualTo(PushOutcome.Status.NOTE_FAILED);
      assertThat(o.error()).startsWith("note: upstream_error: HubSpot 500 INTERNAL_ERROR").contains("not resent");
    });
    assertThat(r.outcomes().get(0).contactId()).isEqualTo(hs.contactByEmail("lead1@example.com").orElseThrow().id());
    assertThat(hs.requests("POST /crm/v3/objects/notes/batch/create")).isEqualTo(1);
    assertThat(hs.requests("POST /crm/v3/objects/notes")).isZero();
    assertThat(hs.notes()).isEmpty();
  }

  @Test
  void notesGoOneHundredPerBatchAndAPartialFailureIsCreatedAgainOnItsOwn() throws Exception {
    hs.nextOn("POST /crm/v3/objects/notes/batch/create", HubSpotFault.PARTIAL_FAILURE, 1);
    List<PushRecord> records = new ArrayList<>();
    for (int i = 0; i < 150; i++) records.add(record(i, "hot", "Summary: brief " + i));
    PushReport r = await(sync.push(records));
    assertThat(r.complete()).as("%s", r.outcomes()).isTrue();
    assertThat(hs.requests("POST /crm/v3/objects/notes/batch/create")).isEqualTo(2); // 100 + 50
    assertThat(hs.requests("POST /crm/v3/objects/notes")).isEqualTo(50); // the odd inputs of the first batch, once each
    assertThat(hs.notes()).hasSize(150);
    for (PushOutcome o : r.outcomes()) {
      assertThat(hs.notesFor(o.contactId())).singleElement().satisfies(n -> assertThat(n.id()).isEqualTo(o.noteId()));
    }
    JsonNode sent = M.readTree(hs.lastBody("POST /crm/v3/objects/notes/batch/create").orElseThrow());
    assertThat(sent.path("inputs")).hasSize(50);
    assertThat(unknownIn(hubspotDoc("notes-batch-create-request.json"), sent)).isEmpty();
    assertThat(missingFrom(hubspotDoc("notes-batch-create-request.json"), sent)).isEmpty();
  }

  @Test
  void aBatchReadFromTheDocumented207KeepsTheWrittenNoteAndNamesTheOther() {
    PushRecord a = record(1, "hot", "Summary: a");
    PushRecord b = record(2, "hot", "Summary: b");
    Map<String, String> trace = Map.of("lead1@example.com", "101", "lead2@example.com", "102");
    NoteWriter.Created c = NoteWriter.parseCreated(hubspotDoc("notes-batch-create-response-207.json"), List.of(a, b),
        r -> trace.get(r.email()));
    assertThat(c.ids()).containsExactly(Map.entry("101", "13955555555"));
    assertThat(c.errors()).containsEntry("102", "VALIDATION_ERROR: Property values were not valid");
  }

  @Test
  void aSecondPushOfTheSameRunUpdatesItsNotesInsteadOfAddingOthers() throws Exception {
    List<PushRecord> records = List.of(record(1, "hot", "Summary: first"), record(2, "warm", "Summary: first"), record(3, "cold", null));
    PushReport first = await(sync.push(records));
    Map<String, String> prior = new java.util.HashMap<>();
    for (PushOutcome o : first.outcomes()) if (o.noteId() != null) prior.put(o.email(), o.noteId());
    assertThat(prior).hasSize(2);
    // lead2's note was deleted in HubSpot meanwhile: the PATCH answers 404 and a new note is created for it
    prior.put("lead2@example.com", "424242");
    List<PushRecord> again = List.of(record(1, "hot", "Summary: second"), record(2, "warm", "Summary: second"), record(3, "cold", "Summary: new"));
    PushReport second = await(sync.push(again, prior));
    assertThat(second.complete()).isTrue();
    assertThat(second.outcomes().get(0).noteId()).isEqualTo(prior.get("lead1@example.com"));
    assertThat(hs.requests("PATCH /crm/v3/objects/notes/{noteId}")).isEqualTo(2);
    String c1 = hs.contactByEmail("lead1@example.com").orElseThrow().id();
    assertThat(hs.notesFor(c1)).singleElement().satisfies(n -> assertThat(n.properties().get("hs_note_body")).contains("second"));
    String c2 = hs.contactByEmail("lead2@example.com").orElseThrow().id();
    assertThat(hs.notesFor(c2)).hasSize(2) // the first one (HubSpot still has it here; the id given was a deleted one)
        .anySatisfy(n -> assertThat(n.id()).isEqualTo(second.outcomes().get(1).noteId()));
    assertThat(hs.notesFor(hs.contactByEmail("lead3@example.com").orElseThrow().id())).hasSize(1);
    JsonNode patch = M.readTree(hs.lastBody("PATCH /crm/v3/objects/notes/{noteId}").orElseThrow());
    assertThat(unknownIn(hubspotDoc("note-update-request.json"), patch)).isEmpty();
    assertThat(missingFrom(hubspotDoc("note-update-request.json"), patch)).isEmpty();
  }

  @Test
  void aWrongTokenFailsEveryRecordWithAuthenticationAtOnceAndNeverShowsTheToken() throws Exception {
    HubSpotClient wrong = new HubSpotClient(vertx, new HubSpotClient.Settings(emu.hubspotBaseUrl(), "pat-na1-not-the-token", 3, 6, 5, 10_000));
    try {
      PushReport r = await(new HubSpotSync(wrong, Clock.systemUTC()).push(List.of(record(1, "hot", "x"), record(2, "warm", "y"))));
      assertThat(r.outcomes()).allSatisfy(o -> {
        assertThat(o.status()).isEqualTo(PushOutcome.Status.FAILED);
        assertThat(o.error()).contains("authentication: HubSpot 401 INVALID_AUTHENTICATION").doesNotContain("pat-na1-not-the-token");
      });
      assertThat(hs.requests("GET /crm/v3/properties/contacts")).isEqualTo(1); // a 401 is not retried
      assertThat(hs.contacts()).isEmpty();
      Throwable pull = org.assertj.core.api.Assertions.catchThrowable(() -> await(new HubSpotSync(wrong, Clock.systemUTC()).pull(ContactQuery.all())));
      assertThat(pull.getCause()).isInstanceOf(HubSpotException.class);
      assertThat(((HubSpotException) pull.getCause()).kind()).isEqualTo(dev.salesagent.router.error.ErrorKind.AUTHENTICATION);
    } finally {
      wrong.close();
    }
  }

  @Test
  void aRateLimitThatOutlastsTheWaitsIsReportedAsRateLimited() throws Exception {
    HubSpotClient impatient = new HubSpotClient(vertx, new HubSpotClient.Settings(emu.hubspotBaseUrl(), HubSpotEmulator.DEFAULT_TOKEN, 0, 1, 5, 10_000));
    try {
      hs.rateLimit(100, 50).next(HubSpotFault.RATE_LIMIT, 2);
      Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> await(new HubSpotSync(impatient, Clock.systemUTC()).pull(ContactQuery.all())));
      assertThat(((HubSpotException) t.getCause()).describe()).startsWith("rate_limited: HubSpot 429 RATE_LIMIT: You have reached");
      assertThat(hs.requests("POST /crm/v3/objects/contacts/search")).isEqualTo(2); // one wait, then given up
    } finally {
      impatient.close();
    }
  }
}
