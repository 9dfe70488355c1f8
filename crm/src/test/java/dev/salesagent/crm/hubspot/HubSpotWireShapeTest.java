package dev.salesagent.crm.hubspot;

import static dev.salesagent.emulator.JsonShapes.hubspotDoc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.agent.crm.ContactQuery;
import dev.salesagent.agent.crm.PushRecord;
import dev.salesagent.agent.lead.EmployeeCount;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.router.error.ErrorKind;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's reading of HubSpot's documented answers and the shape of what it builds, without a server. */
class HubSpotWireShapeTest {
  static final Lead DANA = new Lead(null, "Dana", "Reyes", "dana.reyes@northwind.com", "Northwind", "VP Sales",
      "+12065550162", "northwind.com", "Software", EmployeeCount.parse("51-200"), "United States", "notes");

  static PushRecord record(Lead l, String brief) {
    return new PushRecord(l, "run-1", 84, "hot", "score 84 ≥ 70", "book a call", "strong", null, null, brief);
  }

  @Test
  void theSearchRequestHasTheDocumentedShape() {
    JsonNode body = HubSpotSync.searchBody(new ContactQuery("lead", LocalDate.of(2024, 1, 1), 0), "100", 100);
    assertThat(dev.salesagent.emulator.JsonShapes.unknownIn(hubspotDoc("search-request.json"), body)).isEmpty();
    assertThat(dev.salesagent.emulator.JsonShapes.missingFrom(hubspotDoc("search-request.json"), body)).isEmpty();
    assertThat(body.at("/filterGroups/0/filters/1/value").asText())
        .isEqualTo(Long.toString(LocalDate.of(2024, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()));
    assertThat(HubSpotSync.searchBody(ContactQuery.all(), null, 100).has("filterGroups")).isFalse();
  }

  @Test
  void theNoteRequestHasTheDocumentedShapeAndAssociationType202() {
    HubSpotSync sync = new HubSpotSync(null, Clock.fixed(Instant.parse("2024-01-15T10:30:00Z"), ZoneOffset.UTC));
    JsonNode body = sync.noteRequest(record(DANA, "Summary: <b>growing</b> & hiring"), "101");
    assertThat(dev.salesagent.emulator.JsonShapes.unknownIn(hubspotDoc("note-request.json"), body)).isEmpty();
    assertThat(dev.salesagent.emulator.JsonShapes.missingFrom(hubspotDoc("note-request.json"), body)).isEmpty();
    assertThat(body.at("/associations/0/types/0/associationTypeId").asInt()).isEqualTo(202);
    assertThat(body.at("/associations/0/types/0/associationCategory").asText()).isEqualTo("HUBSPOT_DEFINED");
    assertThat(body.at("/properties/hs_timestamp").asText()).isEqualTo("2024-01-15T10:30:00Z");
    assertThat(body.at("/properties/hs_note_body").asText()).contains("&lt;b&gt;growing&lt;/b&gt; &amp; hiring");
  }

  @Test
  void aDocumented207IsReadRecordByRecord() {
    Lead bad = new Lead(null, null, null, "not-an-email@x.io", null, null, null, null, null, null, null, null);
    JsonNode doc = hubspotDoc("batch-upsert-response-207.json").deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) doc.at("/errors/0/context/ids")).removeAll().add("not-an-email@x.io");
    HubSpotSync.UpsertResult r = HubSpotSync.parseUpsert(doc, List.of(record(DANA, null), record(bad, null)));
    assertThat(r.ids()).containsEntry("dana.reyes@northwind.com", "512").hasSize(1);
    assertThat(r.errors()).containsEntry("not-an-email@x.io", "VALIDATION_ERROR: Property values were not valid");
    // an error naming no record applies to every record the answer did not write
    ((com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/errors/0")).remove("context");
    assertThat(HubSpotSync.parseUpsert(doc, List.of(record(DANA, null), record(bad, null))).errors())
        .containsOnlyKeys("not-an-email@x.io");
    assertThat(HubSpotSync.parseUpsert(hubspotDoc("batch-upsert-response-200.json"), List.of(record(DANA, null))).errors()).isEmpty();
  }

  @Test
  void documentedErrorBodiesBecomeTheTaxonomy() {
    HubSpotException auth = HubSpotClient.errorOf(401, hubspotDoc("error-401.json"));
    assertThat(auth.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(auth.category()).isEqualTo("INVALID_AUTHENTICATION");
    assertThat(auth.correlationId()).isEqualTo("c033cdaa-2c40-4a64-ae48-b4cec88dad24");
    assertThat(auth.describe()).startsWith("authentication: HubSpot 401 INVALID_AUTHENTICATION: Authentication credentials not found");
    HubSpotException limited = HubSpotClient.errorOf(429, hubspotDoc("error-429.json"));
    assertThat(limited.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(limited.category()).isEqualTo("RATE_LIMIT");
    assertThat(HubSpotClient.errorOf(409, hubspotDoc("error-409.json")).kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(HubSpotClient.errorOf(502, com.fasterxml.jackson.databind.node.NullNode.getInstance()).describe())
        .isEqualTo("upstream_error: HubSpot 502: HTTP 502 without a HubSpot error body");
  }

  @Test
  void aDocumentedSearchResultBecomesACleanedLead() {
    JsonNode contact = hubspotDoc("search-response.json").at("/results/0").deepCopy();
    com.fasterxml.jackson.databind.node.ObjectNode p = (com.fasterxml.jackson.databind.node.ObjectNode) contact.path("properties");
    p.put("firstname", "Brian Halligan").put("phone", "(206) 555-0162").put("country", "United States")
        .put("numemployees", "100-500").put("message", "Inbound demo request").put("email", "BH@HubSpot.com");
    List<String> warnings = new ArrayList<>();
    Lead l = HubSpotContactMapping.toLead(contact, warnings);
    assertThat(l.email()).isEqualTo("bh@hubspot.com");
    assertThat(l.firstName()).isEqualTo("Brian");
    assertThat(l.lastName()).isEqualTo("Halligan");
    assertThat(l.phone()).isEqualTo("+12065550162");
    assertThat(l.employees().hubspotOption()).isEqualTo("100-500");
    assertThat(l.notes()).isEqualTo("Inbound demo request");
    assertThat(warnings).isEmpty();
    p.put("phone", "n/a");
    assertThat(HubSpotContactMapping.toLead(contact, warnings).phone()).isNull();
    assertThat(warnings).singleElement().asString().contains("contact 512 (bh@hubspot.com)").contains("placeholder");
  }

  @Test
  void thePushPropertiesCarryTheResultsAndNeverClearAValue() {
    var m = HubSpotContactMapping.properties(record(DANA, null));
    assertThat(m).containsEntry("sales_agent_score", "84").containsEntry("sales_agent_tier", "hot")
        .containsEntry("sales_agent_tier_reason", "score 84 ≥ 70").containsEntry("sales_agent_next_action", "book a call")
        .containsEntry("phone", "+12065550162").containsEntry("numemployees", "100-500")
        .doesNotContainKeys("sales_agent_draft_subject", "sales_agent_draft_body", "email");
    assertThat(m.values()).noneMatch(String::isBlank);
    assertThat(HubSpotContactMapping.CUSTOM).extracting(HubSpotContactMapping.PropertySpec::name).containsAll(m.keySet().stream()
        .filter(k -> k.startsWith("sales_agent_")).toList());
  }

  @Test
  void settingsNeedATokenAndNeverShowIt() {
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> HubSpotClient.Settings.fromEnv(java.util.Map.of())))
        .hasMessageContaining("set HUBSPOT_TOKEN");
    var s = HubSpotClient.Settings.fromEnv(java.util.Map.of("HUBSPOT_TOKEN", "pat-na1-secret"));
    assertThat(s.baseUrl()).isEqualTo("https://api.hubapi.com");
    assertThat(s.toString()).doesNotContain("pat-na1-secret");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> HubSpotClient.Settings.fromEnv(
        java.util.Map.of("HUBSPOT_TOKEN", "t", "HUBSPOT_BASE_URL", "ftp://x")))).hasMessageContaining("HUBSPOT_BASE_URL");
  }
}
