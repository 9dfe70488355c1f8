package dev.salesagent.crm.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.agent.crm.PushOutcome;
import dev.salesagent.agent.crm.PushRecord;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The research briefs of one push as notes on the written contacts.
 *
 * <ul>
 *   <li>A contact whose note an earlier push of the same run wrote ({@code priorNotes}) gets that note updated:
 *       {@code PATCH /crm/v3/objects/notes/{id}} (idempotent: retried like an upsert). A 404 — someone deleted the
 *       note in HubSpot — makes it a new note.</li>
 *   <li>The others are created 100 per {@code POST /crm/v3/objects/notes/batch/create}, each input associated with its
 *       contact (type 202) and traced by {@code objectWriteTraceId} = the contact id. An input the answer did not
 *       write (a 207's {@code errors}, missing from the results, or a whole batch refused with a 4xx: nothing written)
 *       is created again on its own ({@code POST /crm/v3/objects/notes}), once.</li>
 *   <li>A create is never resent after a 5xx or a timeout — the note may exist, and a duplicate is worse than a
 *       missing one: the record is {@code note_failed} and a later push writes it. A refusal no retry cures (token,
 *       daily limit, HubSpot out of reach) makes every note not written yet {@code note_failed} with that reason.</li>
 * </ul>
 */
final class NoteWriter {
  private static final Set<Integer> NONE = Set.of();
  private static final Set<Integer> NOT_FOUND = Set.of(404);

  private final HubSpotClient client;
  private final Clock clock;
  private final Map<String, PushOutcome> outcomes;
  private final List<PushRecord> toCreate = new ArrayList<>();
  private String stopWhy;

  NoteWriter(HubSpotClient client, Clock clock, Map<String, PushOutcome> outcomes) {
    this.client = client;
    this.clock = clock;
    this.outcomes = outcomes;
  }

  Future<Void> write(List<PushRecord> records, Map<String, String> priorNotes) {
    Future<Void> chain = Future.succeededFuture();
    for (PushRecord r : records) {
      PushOutcome o = outcomes.get(HubSpotSync.key(r));
      if (o == null || o.status() != PushOutcome.Status.PUSHED || r.brief() == null) continue;
      String prior = priorNotes.get(HubSpotSync.key(r));
      if (prior == null) toCreate.add(r);
      else chain = chain.compose(v -> update(r, prior));
    }
    // toCreate is read when the updates are done: a note deleted in HubSpot (404) joins it on the way.
    return chain.compose(v -> {
      Future<Void> creates = Future.succeededFuture();
      for (int i = 0; i < toCreate.size(); i += HubSpotSync.BATCH) {
        List<PushRecord> chunk = List.copyOf(toCreate.subList(i, Math.min(toCreate.size(), i + HubSpotSync.BATCH)));
        creates = creates.compose(x -> createChunk(chunk));
      }
      return creates;
    });
  }

  private Future<Void> update(PushRecord r, String noteId) {
    if (stopWhy != null) return noteFailed(r, stopWhy);
    ObjectNode body = HubSpotClient.JSON.createObjectNode();
    body.putObject("properties").put("hs_timestamp", clock.instant().toString()).put("hs_note_body", HubSpotContactMapping.noteBody(r));
    return client.call(HttpMethod.PATCH, "/crm/v3/objects/notes/" + noteId, body, true, NOT_FOUND).compose(a -> {
      if (a.status() == 404) toCreate.add(r);
      else written(r, noteId);
      return Future.<Void>succeededFuture();
    }, e -> failure(r, e));
  }

  private Future<Void> createChunk(List<PushRecord> chunk) {
    if (stopWhy != null) {
      chunk.forEach(r -> noteFailed(r, stopWhy));
      return Future.succeededFuture();
    }
    ObjectNode body = HubSpotClient.JSON.createObjectNode();
    ArrayNode inputs = body.putArray("inputs");
    Instant now = clock.instant();
    for (PushRecord r : chunk) {
      inputs.add(noteRequest(r, contactId(r), now).put("objectWriteTraceId", contactId(r)));
    }
    return client.call(HttpMethod.POST, "/crm/v3/objects/notes/batch/create", body, false, NONE).compose(a -> {
      Created c = parseCreated(a.body(), chunk, this::contactId);
      List<PushRecord> again = new ArrayList<>();
      for (PushRecord r : chunk) {
        String id = c.ids().get(contactId(r));
        if (id != null) written(r, id);
        else again.add(r);
      }
      return createEach(again, c.errors());
    }, e -> {
      if (HubSpotSync.fatal(e)) {
        stopWhy = "note: " + HubSpotSync.describe(e);
        chunk.forEach(r -> noteFailed(r, stopWhy));
        return Future.succeededFuture();
      }
      if (e instanceof HubSpotException h && h.status() >= 400 && h.status() < 500) {
        Map<String, String> why = new HashMap<>();
        for (PushRecord r : chunk) why.put(contactId(r), "batch refused: " + h.describe());
        return createEach(chunk, why); // a refused batch wrote nothing: each on its own is safe
      }
      chunk.forEach(r -> noteFailed(r, "note: " + HubSpotSync.describe(e) + " (not resent: the batch may have been written)"));
      return Future.succeededFuture();
    });
  }

  private Future<Void> createEach(List<PushRecord> again, Map<String, String> firstErrors) {
    Future<Void> chain = Future.succeededFuture();
    for (PushRecord r : again) {
      chain = chain.compose(v -> {
        if (stopWhy != null) return noteFailed(r, stopWhy);
        return client.call(HttpMethod.POST, "/crm/v3/objects/notes", noteRequest(r, contactId(r), clock.instant()), false, NONE)
            .compose(a -> {
              written(r, a.body().path("id").asText(null));
              return Future.<Void>succeededFuture();
            }, e -> {
              String first = firstErrors.get(contactId(r));
              return failure(r, e, first == null ? "" : " (after " + first + ")");
            });
      });
    }
    return chain;
  }

  /** {@code {properties:{hs_timestamp, hs_note_body}, associations:[{to:{id}, types:[{HUBSPOT_DEFINED, 202}]}]}}. */
  static ObjectNode noteRequest(PushRecord r, String contactId, Instant now) {
    ObjectNode body = HubSpotClient.JSON.createObjectNode();
    body.putObject("properties").put("hs_timestamp", now.toString()).put("hs_note_body", HubSpotContactMapping.noteBody(r));
    ObjectNode assoc = body.putArray("associations").addObject();
    assoc.putObject("to").put("id", contactId);
    assoc.putArray("types").addObject().put("associationCategory", "HUBSPOT_DEFINED").put("associationTypeId", 202);
    return body;
  }

  /** What a batch create wrote (trace id → note id) and why the others were not (trace id → reason). */
  record Created(Map<String, String> ids, Map<String, String> errors) {}

  /**
   * A batch create's answer: results matched to inputs by {@code objectWriteTraceId}, else (an answer without it) by
   * the note body, which names the run and holds the contact's brief; errors by {@code context.objectWriteTraceId}.
   */
  static Created parseCreated(JsonNode body, List<PushRecord> chunk, java.util.function.Function<PushRecord, String> trace) {
    Map<String, String> ids = new HashMap<>();
    Map<String, String> byBody = new HashMap<>();
    for (PushRecord r : chunk) byBody.putIfAbsent(HubSpotContactMapping.noteBody(r), trace.apply(r));
    for (JsonNode res : body.path("results")) {
      String t = res.path("objectWriteTraceId").asText(null);
      if (t == null) t = byBody.get(res.path("properties").path("hs_note_body").asText(""));
      if (t != null && res.hasNonNull("id")) ids.putIfAbsent(t, res.path("id").asText());
    }
    Map<String, String> errors = new HashMap<>();
    for (JsonNode err : body.path("errors")) {
      String why = err.path("category").asText("ERROR") + ": " + err.path("message").asText("");
      JsonNode named = err.path("context").path("objectWriteTraceId");
      for (JsonNode t : named) errors.put(t.asText(), why);
      if (named.isEmpty()) for (PushRecord r : chunk) if (!ids.containsKey(trace.apply(r))) errors.putIfAbsent(trace.apply(r), why);
    }
    return new Created(ids, errors);
  }

  private String contactId(PushRecord r) {
    return outcomes.get(HubSpotSync.key(r)).contactId();
  }

  private void written(PushRecord r, String noteId) {
    PushOutcome o = outcomes.get(HubSpotSync.key(r));
    outcomes.put(HubSpotSync.key(r), new PushOutcome(r.email(), PushOutcome.Status.PUSHED, o.contactId(), noteId, o.retried(), null));
  }

  private Future<Void> failure(PushRecord r, Throwable e) {
    return failure(r, e, "");
  }

  private Future<Void> failure(PushRecord r, Throwable e, String suffix) {
    String why = "note: " + HubSpotSync.describe(e) + suffix;
    if (HubSpotSync.fatal(e)) stopWhy = why;
    return noteFailed(r, why);
  }

  private Future<Void> noteFailed(PushRecord r, String why) {
    PushOutcome o = outcomes.get(HubSpotSync.key(r));
    outcomes.put(HubSpotSync.key(r), new PushOutcome(r.email(), PushOutcome.Status.NOTE_FAILED, o.contactId(), null, o.retried(), why));
    return Future.succeededFuture();
  }
}
