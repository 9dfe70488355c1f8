package dev.salesagent.emulator;

import static dev.salesagent.emulator.JsonShapes.hubspotDoc;
import static dev.salesagent.emulator.JsonShapes.missingFrom;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.emulator.HubSpotEmulator.HubSpotFault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HubSpot emulator's answers against HubSpot's documented examples (shape), its state, limits and faults. */
class HubSpotEmulatorTest extends EmulatorTestBase {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  HubSpotEmulator hs;

  @BeforeEach
  void resetHubSpot() {
    hs = emu.hubspot();
    hs.reset();
    hs.requireToken(HubSpotEmulator.DEFAULT_TOKEN);
    hs.rateLimit(100, 10_000);
  }

  record Res(int status, JsonNode body, HttpResponse<String> raw) {}

  Res call(String method, String path, Object body, String token, String fault) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emu.hubspotBaseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : M.writeValueAsString(body)))
        .header("content-type", "application/json");
    if (token != null) b.header("authorization", "Bearer " + token);
    if (fault != null) b.header("x-emulator-fault", fault);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode json = r.body().startsWith("{") ? M.readTree(r.body()) : M.nullNode();
    return new Res(r.statusCode(), json, r);
  }

  Res call(String method, String path, Object body) throws Exception {
    return call(method, path, body, HubSpotEmulator.DEFAULT_TOKEN, null);
  }

  @Test
  void batchUpsertByEmailAnswersTheDocumentedShapeAndIsIdempotent() throws Exception {
    Res first = call("POST", "/crm/v3/objects/contacts/batch/upsert", hubspotDoc("batch-upsert-request.json"));
    assertThat(first.status()).isEqualTo(200);
    assertThat(missingFrom(hubspotDoc("batch-upsert-response-200.json"), first.body())).isEmpty();
    assertThat(first.body().at("/results/0/new").asBoolean()).isTrue();
    String id = first.body().at("/results/0/id").asText();
    Res again = call("POST", "/crm/v3/objects/contacts/batch/upsert", hubspotDoc("batch-upsert-request.json"));
    assertThat(again.body().at("/results/0/id").asText()).isEqualTo(id);
    assertThat(again.body().at("/results/0/new").asBoolean()).isFalse();
    assertThat(hs.contacts()).hasSize(1);
    assertThat(hs.contactByEmail("Dana.Reyes@northwind.com").orElseThrow().properties()).containsEntry("firstname", "Dana");
    assertThat(first.raw().headers().firstValue("X-HubSpot-RateLimit-Interval-Milliseconds")).contains("10000");
    assertThat(first.raw().headers().firstValue("X-HubSpot-RateLimit-Max")).contains("100");
    assertThat(again.raw().headers().firstValue("X-HubSpot-RateLimit-Remaining")).contains("98");
    assertThat(first.raw().headers().firstValue("X-HubSpot-RateLimit-Daily")).isPresent();
    assertThat(first.raw().headers().firstValue("X-HubSpot-RateLimit-Daily-Remaining")).isPresent();
  }

  @Test
  void aBatchWithBadRecordsIsA207NamingEachFailedRecord() throws Exception {
    String body = """
        {"inputs":[{"idProperty":"email","id":"a@x.com","properties":{"firstname":"A"}},
                   {"idProperty":"email","id":"not-an-email","properties":{}},
                   {"idProperty":"email","id":"c@x.com","properties":{"no_such_property":"1"}}]}""";
    Res r = call("POST", "/crm/v3/objects/contacts/batch/upsert", body);
    assertThat(r.status()).isEqualTo(207);
    assertThat(missingFrom(hubspotDoc("batch-upsert-response-207.json"), r.body())).isEmpty();
    assertThat(r.body().path("numErrors").asInt()).isEqualTo(2);
    assertThat(r.body().path("errors").findValuesAsText("category")).containsExactly("VALIDATION_ERROR", "PROPERTY_DOESNT_EXIST");
    assertThat(r.body().at("/errors/1/context/ids/0").asText()).isEqualTo("c@x.com");
    assertThat(hs.contacts()).extracting(HubSpotEmulator.Contact::properties).extracting(p -> p.get("email")).containsExactly("a@x.com");
    // values a property cannot hold: an option numemployees does not offer, a number property given text
    call("POST", "/crm/v3/properties/contacts", M.readTree("{\"name\":\"score\",\"label\":\"S\",\"type\":\"number\","
        + "\"fieldType\":\"number\",\"groupName\":\"contactinformation\"}"));
    Res bad = call("POST", "/crm/v3/objects/contacts/batch/upsert", """
        {"inputs":[{"idProperty":"email","id":"d@x.com","properties":{"numemployees":"51-200"}},
                   {"idProperty":"email","id":"e@x.com","properties":{"score":"high"}},
                   {"idProperty":"email","id":"f@x.com","properties":{"numemployees":"100-500","score":"84"}}]}""");
    assertThat(bad.status()).isEqualTo(207);
    assertThat(bad.body().path("errors").findValuesAsText("message"))
        .containsExactly("Property values were not valid: numemployees: 51-200 was not one of the allowed options: "
            + "[1-5, 5-25, 25-50, 50-100, 100-500, 500-1000, 1000+]", "Property values were not valid: score: high is not a valid number");
    assertThat(hs.contactByEmail("f@x.com")).isPresent();
  }

  @Test
  void thePartialFailureFaultFailsEveryOddInputWithA207() throws Exception {
    hs.next(HubSpotFault.PARTIAL_FAILURE, 1);
    ObjectNode body = M.createObjectNode();
    var inputs = body.putArray("inputs");
    for (int i = 0; i < 5; i++) inputs.addObject().put("idProperty", "email").put("id", "p" + i + "@x.com").putObject("properties");
    Res r = call("POST", "/crm/v3/objects/contacts/batch/upsert", body);
    assertThat(r.status()).isEqualTo(207);
    assertThat(r.body().path("errors").size()).isEqualTo(2);
    assertThat(r.body().at("/errors/0/context/ids/0").asText()).isEqualTo("p1@x.com");
    assertThat(r.body().path("results").size()).isEqualTo(3);
    assertThat(hs.pendingFaults()).isZero();
    assertThat(call("POST", "/crm/v3/objects/contacts/batch/upsert", body).status()).isEqualTo(200);
  }

  @Test
  void moreThanOneHundredInputsIsA400InHubSpotsErrorShape() throws Exception {
    ObjectNode body = M.createObjectNode();
    var inputs = body.putArray("inputs");
    for (int i = 0; i < 101; i++) inputs.addObject().put("idProperty", "email").put("id", "p" + i + "@x.com").putObject("properties");
    Res r = call("POST", "/crm/v3/objects/contacts/batch/upsert", body);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("category").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(missingFrom(hubspotDoc("error-409.json"), r.body())).isEmpty(); // {status, message, correlationId, category}
    assertThat(hs.contacts()).isEmpty();
  }

  @Test
  void searchFiltersPagesByAfterAndAnswersTheDocumentedShape() throws Exception {
    for (int i = 0; i < 7; i++) {
      hs.seed(Map.of("email", "c" + i + "@x.com", "firstname", "C" + i, "lifecyclestage", i % 2 == 0 ? "lead" : "customer"),
          Instant.parse("2024-01-0" + (i + 1) + "T12:00:00Z"));
    }
    ObjectNode q = (ObjectNode) hubspotDoc("search-request.json").deepCopy();
    q.put("limit", 2).remove("after");
    Res page1 = call("POST", "/crm/v3/objects/contacts/search", q);
    assertThat(page1.status()).isEqualTo(200);
    assertThat(missingFrom(hubspotDoc("search-response.json"), page1.body())).isEmpty();
    // lead + created on or after 2024-01-01: c0, c2, c4, c6
    assertThat(page1.body().path("total").asInt()).isEqualTo(4);
    assertThat(page1.body().path("results").findValuesAsText("email")).containsExactly("c0@x.com", "c2@x.com");
    assertThat(page1.body().at("/results/0/properties").has("lastname")).isTrue(); // asked for, not set: null
    q.put("after", page1.body().at("/paging/next/after").asText());
    Res page2 = call("POST", "/crm/v3/objects/contacts/search", q);
    assertThat(page2.body().path("results").findValuesAsText("email")).containsExactly("c4@x.com", "c6@x.com");
    assertThat(page2.body().has("paging")).isFalse();
    ObjectNode later = M.createObjectNode();
    later.putArray("filterGroups").addObject().putArray("filters").addObject().put("propertyName", "createdate")
        .put("operator", "GTE").put("value", Long.toString(Instant.parse("2024-01-05T00:00:00Z").toEpochMilli()));
    assertThat(call("POST", "/crm/v3/objects/contacts/search", later).body().path("total").asInt()).isEqualTo(3);
    assertThat(call("POST", "/crm/v3/objects/contacts/search", "{\"limit\":201}").status()).isEqualTo(400);
  }

  @Test
  void propertiesAndGroupsAreCreatedOnceWithDocumentedShapes() throws Exception {
    Res list = call("GET", "/crm/v3/properties/contacts", null);
    assertThat(missingFrom(hubspotDoc("properties-list-response.json"), list.body())).isEmpty();
    assertThat(call("GET", "/crm/v3/properties/contacts/groups/sales_agent", null).status()).isEqualTo(404);
    Res noGroup = call("POST", "/crm/v3/properties/contacts",
        ((ObjectNode) hubspotDoc("property-create-request.json").deepCopy()).put("groupName", "sales_agent"));
    assertThat(noGroup.status()).isEqualTo(400);
    Res group = call("POST", "/crm/v3/properties/contacts/groups", hubspotDoc("group-create-request.json"));
    assertThat(group.status()).isEqualTo(201);
    assertThat(missingFrom(hubspotDoc("group-response.json"), group.body())).isEmpty();
    Res created = call("POST", "/crm/v3/properties/contacts", hubspotDoc("property-create-request.json"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(missingFrom(hubspotDoc("property-response.json"), created.body())).isEmpty();
    Res dup = call("POST", "/crm/v3/properties/contacts", hubspotDoc("property-create-request.json"));
    assertThat(dup.status()).isEqualTo(409);
    assertThat(missingFrom(hubspotDoc("error-409.json"), dup.body())).isEmpty();
    assertThat(call("GET", "/crm/v3/properties/contacts/favorite_food", null).body().path("groupName").asText()).isEqualTo("contactinformation");
    assertThat(hs.property("favorite_food")).isPresent();
  }

  @Test
  void aNoteIsAssociatedWithItsContactByType202() throws Exception {
    String contactId = hs.seed(Map.of("email", "dana@x.com"), Instant.now()).id();
    ObjectNode req = (ObjectNode) hubspotDoc("note-request.json").deepCopy();
    ((ObjectNode) req.at("/associations/0/to")).put("id", contactId);
    Res r = call("POST", "/crm/v3/objects/notes", req);
    assertThat(r.status()).isEqualTo(201);
    assertThat(missingFrom(hubspotDoc("note-response.json"), r.body())).isEmpty();
    assertThat(hs.notesFor(contactId)).singleElement().satisfies(n ->
        assertThat(n.properties().get("hs_note_body")).startsWith("Met with client"));
    ((ObjectNode) req.at("/associations/0/types/0")).put("associationTypeId", 1);
    assertThat(call("POST", "/crm/v3/objects/notes", req).status()).isEqualTo(400);
    ((ObjectNode) req.at("/associations/0/types/0")).put("associationTypeId", 202);
    ((ObjectNode) req.path("properties")).remove("hs_timestamp");
    assertThat(call("POST", "/crm/v3/objects/notes", req).status()).isEqualTo(400);
    assertThat(hs.notes()).hasSize(1);
  }

  @Test
  void notesAreCreatedInABatchWithTheDocumentedShapesAndAPartialFailureIsA207NamingTheTrace() throws Exception {
    String a = hs.seed(Map.of("email", "a@x.com"), Instant.now()).id();
    String b = hs.seed(Map.of("email", "b@x.com"), Instant.now()).id();
    ObjectNode req = (ObjectNode) hubspotDoc("notes-batch-create-request.json").deepCopy();
    ObjectNode first = (ObjectNode) req.at("/inputs/0");
    ((ObjectNode) first.at("/associations/0/to")).put("id", a);
    first.put("objectWriteTraceId", a);
    ObjectNode second = first.deepCopy();
    ((ObjectNode) second.at("/associations/0/to")).put("id", b);
    second.put("objectWriteTraceId", b);
    ((com.fasterxml.jackson.databind.node.ArrayNode) req.path("inputs")).add(second);
    Res ok = call("POST", "/crm/v3/objects/notes/batch/create", req);
    assertThat(ok.status()).isEqualTo(201);
    assertThat(missingFrom(hubspotDoc("notes-batch-create-response-201.json"), ok.body())).isEmpty();
    assertThat(ok.body().at("/results/1/objectWriteTraceId").asText()).isEqualTo(b);
    assertThat(hs.notesFor(a)).hasSize(1);
    assertThat(hs.notesFor(b)).hasSize(1);

    hs.nextOn("POST /crm/v3/objects/notes/batch/create", HubSpotFault.PARTIAL_FAILURE, 1);
    Res partial = call("POST", "/crm/v3/objects/notes/batch/create", req);
    assertThat(partial.status()).isEqualTo(207);
    assertThat(missingFrom(hubspotDoc("notes-batch-create-response-207.json"), partial.body())).isEmpty();
    assertThat(partial.body().at("/errors/0/context/objectWriteTraceId/0").asText()).isEqualTo(b);
    assertThat(hs.notes()).hasSize(3);
    // an untargeted partial failure stays for batch upserts, as before
    hs.next(HubSpotFault.PARTIAL_FAILURE, 1);
    assertThat(call("POST", "/crm/v3/objects/notes/batch/create", req).status()).isEqualTo(201);
    assertThat(hs.pendingFaults()).isEqualTo(1);
    ((ObjectNode) second.at("/associations/0/to")).put("id", "999999");
    Res bad = call("POST", "/crm/v3/objects/notes/batch/create", req);
    assertThat(bad.status()).isEqualTo(207);
    assertThat(bad.body().at("/errors/0/message").asText()).contains("no such contact");
    assertThat(call("POST", "/crm/v3/objects/notes/batch/create", M.readTree("{\"inputs\":[]}")).status()).isEqualTo(400);
  }

  @Test
  void aNoteIsUpdatedInPlaceByPatchAnd404WhenItDoesNotExist() throws Exception {
    String contactId = hs.seed(Map.of("email", "dana@x.com"), Instant.now()).id();
    ObjectNode req = (ObjectNode) hubspotDoc("note-request.json").deepCopy();
    ((ObjectNode) req.at("/associations/0/to")).put("id", contactId);
    String noteId = call("POST", "/crm/v3/objects/notes", req).body().path("id").asText();
    Res r = call("PATCH", "/crm/v3/objects/notes/" + noteId, hubspotDoc("note-update-request.json"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(missingFrom(hubspotDoc("note-response.json"), r.body())).isEmpty();
    assertThat(hs.notesFor(contactId)).singleElement().satisfies(n -> {
      assertThat(n.id()).isEqualTo(noteId);
      assertThat(n.properties().get("hs_note_body")).startsWith("Updated meeting notes");
    });
    assertThat(hs.requests("PATCH /crm/v3/objects/notes/{noteId}")).isEqualTo(1);
    Res missing = call("PATCH", "/crm/v3/objects/notes/424242", hubspotDoc("note-update-request.json"));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().path("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
    assertThat(call("PATCH", "/crm/v3/objects/notes/" + noteId, M.readTree("{\"properties\":{\"hs_object_id\":\"1\"}}")).status()).isEqualTo(400);
  }

  @Test
  void aMissingOrWrongTokenIs401InHubSpotsShape() throws Exception {
    Res none = call("GET", "/crm/v3/properties/contacts", null, null, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(missingFrom(hubspotDoc("error-401.json"), none.body())).isEmpty();
    assertThat(none.body().path("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
    assertThat(call("GET", "/crm/v3/properties/contacts", null, "pat-wrong", null).status()).isEqualTo(401);
    assertThat(call("GET", "/crm/v3/properties/contacts", null, HubSpotEmulator.DEFAULT_TOKEN, "unauthorized").status()).isEqualTo(401);
    assertThat(call("GET", "/crm/v3/properties/contacts", null).status()).isEqualTo(200);
  }

  @Test
  void theWindowAnswers429WithTheRateLimitHeadersUntilItResets() throws Exception {
    hs.rateLimit(2, 60_000);
    assertThat(call("GET", "/crm/v3/properties/contacts", null).status()).isEqualTo(200);
    Res second = call("GET", "/crm/v3/properties/contacts", null);
    assertThat(second.raw().headers().firstValue("X-HubSpot-RateLimit-Remaining")).contains("0");
    Res limited = call("GET", "/crm/v3/properties/contacts", null);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(missingFrom(hubspotDoc("error-429.json"), limited.body())).isEmpty();
    assertThat(limited.body().path("errorType").asText()).isEqualTo("RATE_LIMIT");
    assertThat(limited.raw().headers().firstValue("X-HubSpot-RateLimit-Interval-Milliseconds")).contains("60000");
    assertThat(limited.raw().headers().firstValue("X-HubSpot-RateLimit-Max")).contains("2");
    assertThat(limited.raw().headers().firstValue("X-HubSpot-RateLimit-Remaining")).contains("0");
    // a short window resets by itself
    hs.rateLimit(1, 200);
    call("GET", "/crm/v3/properties/contacts", null);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> call("GET", "/crm/v3/properties/contacts", null).status() == 200);
    // the fault uses the window up at once
    hs.rateLimit(100, 60_000);
    Res fault = call("GET", "/crm/v3/properties/contacts", null, HubSpotEmulator.DEFAULT_TOKEN, "rate_limit");
    assertThat(fault.status()).isEqualTo(429);
    assertThat(fault.raw().headers().firstValue("X-HubSpot-RateLimit-Remaining")).contains("0");
    assertThat(call("GET", "/crm/v3/properties/contacts", null).status()).isEqualTo(429);
  }

  @Test
  void serverErrorsAndTheControlEndpointQueueFaults() throws Exception {
    assertThat(call("GET", "/crm/v3/properties/contacts", null, HubSpotEmulator.DEFAULT_TOKEN, "server_error").status()).isEqualTo(500);
    Res control = new Res(0, null, HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + emu.port() + "/_faults"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"protocol\":\"hubspot\",\"fault\":\"bad_gateway\",\"times\":1}")).build(),
        HttpResponse.BodyHandlers.ofString()));
    assertThat(control.raw().statusCode()).isEqualTo(200);
    assertThat(call("GET", "/crm/v3/properties/contacts", null).status()).isEqualTo(502);
    assertThat(call("GET", "/crm/v3/properties/contacts", null).status()).isEqualTo(200);
    assertThat(hs.requests("GET /crm/v3/properties/contacts")).isEqualTo(3);
  }
}
