package dev.salesagent.crm.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.agent.crm.ContactQuery;
import dev.salesagent.agent.crm.PullResult;
import dev.salesagent.agent.crm.PushOutcome;
import dev.salesagent.agent.crm.PushRecord;
import dev.salesagent.agent.crm.PushReport;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.router.error.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Pull and push against HubSpot's CRM v3 API.
 *
 * <p><b>Pull</b>: {@code POST /crm/v3/objects/contacts/search} with the query's filters ({@code lifecyclestage EQ},
 * {@code createdate GTE} the day's first millisecond, UTC), 100 per page, paging by {@code paging.next.after}; each
 * contact mapped onto a lead ({@link HubSpotContactMapping}).
 *
 * <p><b>Push</b>: the {@code sales_agent} property group and the custom properties are created when missing
 * ({@code GET/POST /crm/v3/properties/contacts}); contacts are upserted by email, 100 per
 * {@code POST /crm/v3/objects/contacts/batch/upsert}; every record a batch did not write (a 207's {@code errors}, or a
 * record missing from the results, or a whole batch refused) is sent again on its own and, if it fails again, reported
 * with HubSpot's reason; then each written contact with a brief gets its note ({@link NoteWriter}: created 100 per
 * {@code POST /crm/v3/objects/notes/batch/create}, associated with association type 202, note to contact; a note an
 * earlier push of the same run wrote is updated instead). Every record ends with an outcome: nothing is dropped
 * silently. Calls are sequential: HubSpot's limits are per account, and the gate in {@link HubSpotClient} paces them.
 */
public final class HubSpotSync {
  public static final int BATCH = 100;
  static final int PAGE = 100;
  /** HubSpot's search answers at most this many results for one query ({@code after + limit}). */
  static final int SEARCH_CEILING = 10_000;
  private static final Set<Integer> NONE = Set.of();

  private final HubSpotClient client;
  private final Clock clock;

  public HubSpotSync(HubSpotClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  // ---- pull ------------------------------------------------------------------------------------------------------

  public Future<PullResult> pull(ContactQuery q) {
    PullState st = new PullState();
    return page(q, null, st).map(v -> new PullResult(st.leads, st.warnings, st.rejected, st.read));
  }

  private static final class PullState {
    final List<Lead> leads = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<String> rejected = new ArrayList<>();
    final Set<String> emails = new java.util.HashSet<>();
    int read;
  }

  private Future<Void> page(ContactQuery q, String after, PullState st) {
    int limit = Math.min(q.max() > 0 ? Math.min(PAGE, q.max() - st.read) : PAGE, SEARCH_CEILING - st.read);
    return client.call(HttpMethod.POST, "/crm/v3/objects/contacts/search", searchBody(q, after, limit), true, NONE)
        .compose(a -> {
          for (JsonNode c : a.body().path("results")) {
            st.read++;
            try {
              Lead l = HubSpotContactMapping.toLead(c, st.warnings);
              if (st.emails.add(l.email())) st.leads.add(l);
            } catch (IllegalArgumentException e) {
              st.rejected.add(e.getMessage());
            }
          }
          String next = a.body().path("paging").path("next").path("after").asText(null);
          boolean more = next != null && !next.isEmpty() && a.body().path("results").size() > 0;
          if (!more || (q.max() > 0 && st.read >= q.max())) return Future.succeededFuture();
          if (st.read >= SEARCH_CEILING) {
            st.warnings.add("HubSpot's search gives at most " + SEARCH_CEILING + " contacts and more match: narrow the "
                + "query (a later --created-after, a lifecycle stage) and pull the rest separately");
            return Future.succeededFuture();
          }
          return page(q, next, st);
        });
  }

  /** The search request: {@code {filterGroups:[{filters:[…]}], properties, limit, after}} (HubSpot's documented shape). */
  static ObjectNode searchBody(ContactQuery q, String after, int limit) {
    ObjectNode body = HubSpotClient.JSON.createObjectNode();
    ArrayNode filters = HubSpotClient.JSON.createArrayNode();
    if (q.lifecycleStage() != null) {
      filters.addObject().put("propertyName", "lifecyclestage").put("operator", "EQ").put("value", q.lifecycleStage());
    }
    if (q.createdAfter() != null) {
      long ms = q.createdAfter().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      filters.addObject().put("propertyName", "createdate").put("operator", "GTE").put("value", Long.toString(ms));
    }
    if (!filters.isEmpty()) body.putArray("filterGroups").addObject().set("filters", filters);
    ArrayNode props = body.putArray("properties");
    HubSpotContactMapping.READ.forEach(props::add);
    // Without a sort the order is HubSpot's; by creation date paging stays stable while contacts are being added.
    body.putArray("sorts").addObject().put("propertyName", "createdate").put("direction", "ASCENDING");
    body.put("limit", limit);
    if (after != null) body.put("after", after);
    return body;
  }

  // ---- push ------------------------------------------------------------------------------------------------------

  public Future<PushReport> push(List<PushRecord> records) {
    return push(records, Map.of());
  }

  /**
   * As {@link #push(List)}, with the notes an earlier push of the same run wrote ({@code priorNotes}: lower-cased email
   * → note id, from the push log): those notes are updated ({@code PATCH}) instead of created again.
   */
  public Future<PushReport> push(List<PushRecord> records, Map<String, String> priorNotes) {
    List<String> created = new ArrayList<>();
    Map<String, PushOutcome> outcomes = new LinkedHashMap<>();
    if (records.isEmpty()) return Future.succeededFuture(new PushReport(List.of(), List.of()));
    return ensureProperties(created)
        .compose(v -> upsertAll(records, outcomes), e -> {
          for (PushRecord r : records) outcomes.put(key(r), failed(r, "properties not ready: " + describe(e), false));
          return Future.succeededFuture();
        })
        .compose(v -> new NoteWriter(client, clock, outcomes).write(records, priorNotes))
        .map(v -> {
          List<PushOutcome> ordered = new ArrayList<>(records.size());
          for (PushRecord r : records) ordered.add(outcomes.get(key(r)));
          return new PushReport(ordered, created);
        });
  }

  /** Creates the {@code sales_agent} group and the custom properties HubSpot does not have yet (409 = someone else did). */
  Future<Void> ensureProperties(List<String> created) {
    return client.call(HttpMethod.GET, "/crm/v3/properties/contacts", null, true, NONE).compose(a -> {
      Set<String> have = new java.util.HashSet<>();
      for (JsonNode p : a.body().path("results")) have.add(p.path("name").asText());
      List<HubSpotContactMapping.PropertySpec> missing = HubSpotContactMapping.CUSTOM.stream()
          .filter(s -> !have.contains(s.name())).toList();
      if (missing.isEmpty()) return Future.succeededFuture();
      return ensureGroup().compose(v -> {
        Future<Void> chain = Future.succeededFuture();
        for (HubSpotContactMapping.PropertySpec s : missing) {
          ObjectNode b = HubSpotClient.JSON.createObjectNode().put("name", s.name()).put("label", s.label()).put("type", s.type())
              .put("fieldType", s.fieldType()).put("groupName", HubSpotContactMapping.GROUP).put("description", s.description());
          chain = chain.compose(x -> client.call(HttpMethod.POST, "/crm/v3/properties/contacts", b, true, Set.of(409))
              .map(r -> {
                if (r.status() != 409) created.add(s.name());
                return null;
              }));
        }
        return chain;
      });
    });
  }

  private Future<Void> ensureGroup() {
    return client.call(HttpMethod.GET, "/crm/v3/properties/contacts/groups/" + HubSpotContactMapping.GROUP, null, true, Set.of(404))
        .compose(a -> {
          if (a.status() != 404) return Future.succeededFuture();
          ObjectNode b = HubSpotClient.JSON.createObjectNode().put("name", HubSpotContactMapping.GROUP)
              .put("label", HubSpotContactMapping.GROUP_LABEL).put("displayOrder", -1);
          return client.call(HttpMethod.POST, "/crm/v3/properties/contacts/groups", b, true, Set.of(409)).mapEmpty();
        });
  }

  private Future<Void> upsertAll(List<PushRecord> records, Map<String, PushOutcome> outcomes) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < records.size(); i += BATCH) {
      List<PushRecord> chunk = records.subList(i, Math.min(records.size(), i + BATCH));
      chain = chain.compose(v -> upsertChunk(chunk, outcomes));
    }
    // A fatal refusal (token, daily limit, HubSpot out of reach) ends the upserts: every record not written yet says so.
    return chain.recover(e -> {
      for (PushRecord r : records) outcomes.putIfAbsent(key(r), failed(r, describe(e), false));
      return Future.succeededFuture();
    });
  }

  /** One batch, then every record it did not write on its own (once). A refusal that no retry can cure ends the push. */
  private Future<Void> upsertChunk(List<PushRecord> chunk, Map<String, PushOutcome> outcomes) {
    return upsert(chunk).compose(result -> {
      List<PushRecord> again = new ArrayList<>();
      for (PushRecord r : chunk) {
        String id = result.ids.get(key(r));
        if (id != null) outcomes.put(key(r), new PushOutcome(r.email(), PushOutcome.Status.PUSHED, id, null, false, null));
        else again.add(r);
      }
      return retryEach(again, result.errors, outcomes);
    }, e -> {
      if (fatal(e)) {
        for (PushRecord r : chunk) outcomes.put(key(r), failed(r, describe(e), false));
        return Future.failedFuture(e);
      }
      Map<String, String> why = new HashMap<>();
      for (PushRecord r : chunk) why.put(key(r), "batch refused: " + describe(e));
      return retryEach(chunk, why, outcomes);
    });
  }

  private Future<Void> retryEach(List<PushRecord> again, Map<String, String> firstErrors, Map<String, PushOutcome> outcomes) {
    Future<Void> chain = Future.succeededFuture();
    for (PushRecord r : again) {
      chain = chain.compose(v -> {
        if (outcomes.containsKey(key(r))) return Future.succeededFuture();
        return upsert(List.of(r)).compose(res -> {
          String id = res.ids.get(key(r));
          if (id != null) {
            outcomes.put(key(r), new PushOutcome(r.email(), PushOutcome.Status.PUSHED, id, null, true, null));
          } else {
            String why = res.errors.getOrDefault(key(r), firstErrors.getOrDefault(key(r), "not in HubSpot's answer"));
            outcomes.put(key(r), failed(r, why, true));
          }
          return Future.<Void>succeededFuture();
        }, e -> {
          outcomes.put(key(r), failed(r, describe(e), true));
          return fatal(e) ? Future.failedFuture(e) : Future.succeededFuture();
        });
      });
    }
    return chain;
  }

  /** What a batch upsert wrote (email → contact id) and why the others were not written (email → reason). */
  record UpsertResult(Map<String, String> ids, Map<String, String> errors) {}

  private Future<UpsertResult> upsert(List<PushRecord> batch) {
    ObjectNode body = HubSpotClient.JSON.createObjectNode();
    ArrayNode inputs = body.putArray("inputs");
    for (PushRecord r : batch) {
      ObjectNode in = inputs.addObject().put("idProperty", "email").put("id", r.email());
      ObjectNode props = in.putObject("properties");
      HubSpotContactMapping.properties(r).forEach(props::put);
    }
    return client.call(HttpMethod.POST, "/crm/v3/objects/contacts/batch/upsert", body, true, NONE)
        .map(a -> parseUpsert(a.body(), batch));
  }

  /** A batch upsert's answer (200, or 207 with {@code errors} whose {@code context.ids} name the records). */
  static UpsertResult parseUpsert(JsonNode body, List<PushRecord> batch) {
    Map<String, String> ids = new HashMap<>();
    for (JsonNode res : body.path("results")) {
      String email = res.path("properties").path("email").asText(null);
      if (email != null) ids.put(email.toLowerCase(Locale.ROOT), res.path("id").asText());
    }
    Map<String, String> errors = new HashMap<>();
    for (JsonNode err : body.path("errors")) {
      String why = err.path("category").asText("ERROR") + ": " + err.path("message").asText("");
      JsonNode named = err.path("context").path("ids");
      for (JsonNode id : named) errors.put(id.asText().toLowerCase(Locale.ROOT), why);
      if (named.isEmpty()) { // an error that names no record applies to every record not written
        for (PushRecord r : batch) if (!ids.containsKey(key(r))) errors.putIfAbsent(key(r), why);
      }
    }
    return new UpsertResult(ids, errors);
  }

  /** A note create's request for a record (the note is associated with the contact, type 202). */
  ObjectNode noteRequest(PushRecord r, String contactId) {
    return NoteWriter.noteRequest(r, contactId, clock.instant());
  }

  /** A refusal that sending again cannot cure within this push: the token, a daily limit, HubSpot out of reach. */
  static boolean fatal(Throwable e) {
    return e instanceof HubSpotException h && (h.kind() == ErrorKind.AUTHENTICATION || h.kind() == ErrorKind.RATE_LIMITED
        || h.kind() == ErrorKind.UNAVAILABLE);
  }

  static String describe(Throwable e) {
    return e instanceof HubSpotException h ? h.describe() : "internal error: " + e.getClass().getSimpleName();
  }

  static PushOutcome failed(PushRecord r, String why, boolean retried) {
    return new PushOutcome(r.email(), PushOutcome.Status.FAILED, null, null, retried, why);
  }

  static String key(PushRecord r) {
    return r.email().toLowerCase(Locale.ROOT);
  }
}
