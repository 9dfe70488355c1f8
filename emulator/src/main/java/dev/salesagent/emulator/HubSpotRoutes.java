package dev.salesagent.emulator;

import dev.salesagent.emulator.HubSpotEmulator.HubSpotFault;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * HubSpot's CRM v3 wire format under {@code /hubspot}: contacts search and batch upsert, the contact properties and
 * property-group endpoints, notes with associations. Private-app bearer auth, the {@code X-HubSpot-RateLimit-*}
 * headers on every authenticated answer, a 10-second window (429 {@code RATE_LIMIT} beyond it), HubSpot's error body
 * {@code {status, message, correlationId, category}}. Faults: header {@code x-emulator-fault} first, then the queue of
 * {@link HubSpotEmulator#next}. The endpoints and their answers are listed in {@code emulator/README.md}.
 */
final class HubSpotRoutes {
  static final String JSON = "application/json;charset=utf-8";
  private static final Pattern PROPERTY_NAME = Pattern.compile("^[a-z][a-z0-9_]{0,99}$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  private final HubSpotEmulator state;
  private final HubSpotSearch search;

  HubSpotRoutes(HubSpotEmulator state) {
    this.state = state;
    this.search = new HubSpotSearch(state);
  }

  HubSpotEmulator state() {
    return state;
  }

  /** {@code POST /_reset}: the HubSpot state too. */
  void reset() {
    state.reset();
  }

  void handle(HttpServerRequest req, String sub) {
    req.body().onSuccess(body -> {
      String endpoint = req.method().name() + " " + endpointName(sub);
      state.count(endpoint, body.toString(java.nio.charset.StandardCharsets.UTF_8));
      Protocol.Reply r = answer(req, sub, endpoint, body);
      Replies.send(req, null, r);
    });
  }

  /** {@code /crm/v3/properties/contacts/sales_agent_score} → {@code /crm/v3/properties/contacts/{propertyName}}. */
  private static String endpointName(String sub) {
    if (sub.startsWith("/crm/v3/properties/contacts/groups/")) return "/crm/v3/properties/contacts/groups/{groupName}";
    if (sub.startsWith("/crm/v3/objects/notes/") && !sub.equals("/crm/v3/objects/notes/batch/create")) return "/crm/v3/objects/notes/{noteId}";
    if (sub.startsWith("/crm/v3/properties/contacts/") && !sub.equals("/crm/v3/properties/contacts/groups")) {
      return "/crm/v3/properties/contacts/{propertyName}";
    }
    return sub;
  }

  private Protocol.Reply answer(HttpServerRequest req, String sub, String endpoint, Buffer body) {
    String auth = req.getHeader("authorization");
    String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : null;
    if (bearer == null || bearer.isEmpty()) {
      return error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports OAuth 2.0 "
          + "authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
    }
    boolean batchUpsert = req.method() == HttpMethod.POST && sub.equals("/crm/v3/objects/contacts/batch/upsert");
    HubSpotFault fault = HubSpotFault.parse(req.getHeader("x-emulator-fault"));
    boolean batchCreate = req.method() == HttpMethod.POST && sub.equals("/crm/v3/objects/notes/batch/create");
    if (fault == null || (fault == HubSpotFault.PARTIAL_FAILURE && !batchUpsert && !batchCreate)) {
      fault = state.takeFault(endpoint, batchUpsert, batchCreate);
    }
    if (fault == HubSpotFault.UNAUTHORIZED || !state.tokenMatches(bearer)) {
      return error(401, "INVALID_AUTHENTICATION", "The access token provided is invalid, expired or revoked.");
    }
    HubSpotEmulator.Window w = fault == HubSpotFault.RATE_LIMIT ? state.exhaust() : state.admit();
    Protocol.Reply r;
    if (w.remaining() < 0) {
      JsonObject b = new JsonObject().put("status", "error").put("message", "You have reached your ten_secondly_rolling limit.")
          .put("errorType", "RATE_LIMIT").put("correlationId", UUID.randomUUID().toString())
          .put("policyName", "TEN_SECONDLY_ROLLING").put("groupName", "private-app-emulator");
      r = Protocol.Reply.json(429, b.encode(), JSON);
    } else if (fault == HubSpotFault.SERVER_ERROR) {
      r = error(500, "INTERNAL_ERROR", "internal error");
    } else if (fault == HubSpotFault.BAD_GATEWAY) {
      r = Protocol.Reply.json(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
    } else {
      r = route(req.method(), sub, body, fault == HubSpotFault.PARTIAL_FAILURE);
    }
    r.header("X-HubSpot-RateLimit-Daily", Long.toString(w.daily()))
        .header("X-HubSpot-RateLimit-Daily-Remaining", Long.toString(w.dailyRemaining()))
        .header("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(w.intervalMs()))
        .header("X-HubSpot-RateLimit-Max", Integer.toString(w.max()))
        .header("X-HubSpot-RateLimit-Remaining", Integer.toString(Math.max(0, w.remaining())));
    return r;
  }

  private Protocol.Reply route(HttpMethod m, String sub, Buffer body, boolean partialFailure) {
    try {
      if (m == HttpMethod.POST && sub.equals("/crm/v3/objects/contacts/search")) return search.search(json(body));
      if (m == HttpMethod.POST && sub.equals("/crm/v3/objects/contacts/batch/upsert")) return batchUpsert(json(body), partialFailure);
      if (m == HttpMethod.POST && sub.equals("/crm/v3/objects/notes")) return createNote(json(body));
      if (m == HttpMethod.POST && sub.equals("/crm/v3/objects/notes/batch/create")) return batchCreateNotes(json(body), partialFailure);
      if (m == HttpMethod.PATCH && sub.startsWith("/crm/v3/objects/notes/")) {
        return updateNote(sub.substring("/crm/v3/objects/notes/".length()), json(body));
      }
      if (m == HttpMethod.GET && sub.equals("/crm/v3/properties/contacts")) return listProperties();
      if (m == HttpMethod.POST && sub.equals("/crm/v3/properties/contacts")) return createProperty(json(body));
      if (m == HttpMethod.POST && sub.equals("/crm/v3/properties/contacts/groups")) return createGroup(json(body));
      if (m == HttpMethod.GET && sub.startsWith("/crm/v3/properties/contacts/groups/")) {
        return state.group(sub.substring("/crm/v3/properties/contacts/groups/".length()))
            .map(g -> Protocol.Reply.json(200, groupJson(g).encode(), JSON))
            .orElseGet(() -> error(404, "OBJECT_NOT_FOUND", "Unable to find property group " + sub.substring(sub.lastIndexOf('/') + 1)));
      }
      if (m == HttpMethod.GET && sub.startsWith("/crm/v3/properties/contacts/")) {
        String name = sub.substring("/crm/v3/properties/contacts/".length());
        return state.property(name).map(p -> Protocol.Reply.json(200, propertyJson(p).encode(), JSON))
            .orElseGet(() -> error(404, "OBJECT_NOT_FOUND", "Unable to find property with name " + name + " for object type 0-1"));
      }
      return error(404, "OBJECT_NOT_FOUND", "No endpoint " + m.name() + " " + sub);
    } catch (BadInput e) {
      return error(400, "VALIDATION_ERROR", e.getMessage());
    }
  }

  // ---- batch upsert ----------------------------------------------------------------------------------------------

  private Protocol.Reply batchUpsert(JsonObject body, boolean partialFailure) throws BadInput {
    JsonArray inputs = array(body, "inputs");
    if (inputs.isEmpty() || inputs.size() > 100) {
      throw new BadInput("inputs: size must be between 1 and 100 (got " + inputs.size() + ")");
    }
    Instant started = state.now();
    Map<String, HubSpotEmulator.Property> known = state.propertyMap();
    JsonArray results = new JsonArray();
    JsonArray errors = new JsonArray();
    for (int i = 0; i < inputs.size(); i++) {
      JsonObject in = inputs.getValue(i) instanceof JsonObject o ? o : new JsonObject();
      String id = in.getString("id");
      String idProperty = in.getString("idProperty");
      JsonObject props = in.getValue("properties") instanceof JsonObject p ? p : new JsonObject();
      String why = null;
      String category = "VALIDATION_ERROR";
      if (!"email".equals(idProperty)) why = "idProperty must be email for contacts upserted by email (got " + idProperty + ")";
      else if (id == null || !EMAIL.matcher(id).matches()) why = "Property values were not valid: email '" + id + "' is not a valid email address";
      else if (partialFailure && i % 2 == 1) {
        why = "The record could not be written (emulated partial failure); retry it";
        category = "INTERNAL_ERROR";
      } else {
        for (String name : props.fieldNames()) {
          HubSpotEmulator.Property p = known.get(name);
          if (p == null) {
            why = "Property \"" + name + "\" does not exist";
            category = "PROPERTY_DOESNT_EXIST";
            break;
          }
          if (name.equals("createdate") || name.equals("hs_object_id") || name.equals("lastmodifieddate")) {
            why = "Property \"" + name + "\" is read-only";
            category = "READ_ONLY_VALUE";
            break;
          }
          String refused = p.refuse(props.getValue(name) == null ? null : String.valueOf(props.getValue(name)));
          if (refused != null) {
            why = "Property values were not valid: " + name + ": " + refused;
            break;
          }
        }
      }
      if (why != null) {
        errors.add(new JsonObject().put("status", "error").put("category", category).put("message", why)
            .put("context", new JsonObject().put("ids", new JsonArray().add(String.valueOf(id)))));
        continue;
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (String name : props.fieldNames()) values.put(name, props.getValue(name) == null ? "" : String.valueOf(props.getValue(name)));
      HubSpotEmulator.Upserted u = state.upsert(id.toLowerCase(java.util.Locale.ROOT), values, state.now());
      JsonObject rp = new JsonObject();
      for (String name : values.keySet()) if (u.contact().properties().containsKey(name)) rp.put(name, u.contact().properties().get(name));
      rp.put("email", u.contact().properties().get("email")).put("hs_object_id", u.contact().id())
          .put("createdate", u.contact().createdAt().toString()).put("lastmodifieddate", u.contact().updatedAt().toString());
      results.add(new JsonObject().put("id", u.contact().id()).put("properties", rp)
          .put("createdAt", u.contact().createdAt().toString()).put("updatedAt", u.contact().updatedAt().toString())
          .put("archived", false).put("new", u.created()));
    }
    JsonObject out = new JsonObject().put("status", "COMPLETE").put("results", results)
        .put("startedAt", started.toString()).put("completedAt", state.now().toString());
    if (errors.isEmpty()) return Protocol.Reply.json(200, out.encode(), JSON);
    out.put("numErrors", errors.size()).put("errors", errors);
    return Protocol.Reply.json(207, out.encode(), JSON);
  }

  // ---- notes -----------------------------------------------------------------------------------------------------

  private Protocol.Reply createNote(JsonObject body) throws BadInput {
    HubSpotEmulator.Note n = addNote(body);
    return Protocol.Reply.json(201, noteJson(n, null).encode(), JSON);
  }

  /**
   * {@code POST /crm/v3/objects/notes/batch/create}: 1–100 inputs, each checked and written on its own (an input that
   * fails its checks is named in a 207's {@code errors} by its {@code objectWriteTraceId}); results in input order
   * carry the input's {@code objectWriteTraceId}.
   */
  private Protocol.Reply batchCreateNotes(JsonObject body, boolean partialFailure) throws BadInput {
    JsonArray inputs = array(body, "inputs");
    if (inputs.isEmpty() || inputs.size() > 100) {
      throw new BadInput("inputs: size must be between 1 and 100 (got " + inputs.size() + ")");
    }
    Instant started = state.now();
    JsonArray results = new JsonArray();
    JsonArray errors = new JsonArray();
    for (int i = 0; i < inputs.size(); i++) {
      JsonObject in = inputs.getValue(i) instanceof JsonObject o ? o : new JsonObject();
      Object traceValue = in.getValue("objectWriteTraceId");
      String trace = traceValue == null ? null : String.valueOf(traceValue);
      String why;
      String category = "VALIDATION_ERROR";
      if (partialFailure && i % 2 == 1) {
        why = "The record could not be written (emulated partial failure); retry it";
        category = "INTERNAL_ERROR";
      } else {
        try {
          results.add(noteJson(addNote(in), trace));
          continue;
        } catch (BadInput e) {
          why = e.getMessage();
        }
      }
      JsonObject context = new JsonObject();
      if (trace != null) context.put("objectWriteTraceId", new JsonArray().add(trace));
      errors.add(new JsonObject().put("status", "error").put("category", category).put("message", why).put("context", context));
    }
    JsonObject out = new JsonObject().put("status", "COMPLETE").put("results", results)
        .put("startedAt", started.toString()).put("completedAt", state.now().toString());
    if (errors.isEmpty()) return Protocol.Reply.json(201, out.encode(), JSON);
    out.put("numErrors", errors.size()).put("errors", errors);
    return Protocol.Reply.json(207, out.encode(), JSON);
  }

  /** {@code PATCH /crm/v3/objects/notes/{noteId}} {@code {properties}}: 200 the note, 404 when there is no such note. */
  private Protocol.Reply updateNote(String id, JsonObject body) throws BadInput {
    JsonObject props = body.getValue("properties") instanceof JsonObject p ? p : null;
    if (props == null) throw new BadInput("properties is required");
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : props.fieldNames()) {
      if (name.equals("hs_object_id") || name.equals("hs_createdate") || name.equals("hs_lastmodifieddate")) {
        throw new BadInput("Property \"" + name + "\" is read-only");
      }
      values.put(name, String.valueOf(props.getValue(name)));
    }
    if (values.getOrDefault("hs_note_body", "").length() > 65_536) throw new BadInput("hs_note_body is longer than 65536 characters");
    return state.updateNote(id, values)
        .map(n -> Protocol.Reply.json(200, noteJson(n, null).encode(), JSON))
        .orElseGet(() -> error(404, "OBJECT_NOT_FOUND", "resource not found: note " + id));
  }

  private HubSpotEmulator.Note addNote(JsonObject body) throws BadInput {
    JsonObject props = body.getValue("properties") instanceof JsonObject p ? p : null;
    if (props == null) throw new BadInput("properties is required");
    Object ts = props.getValue("hs_timestamp");
    if (ts == null || String.valueOf(ts).isBlank()) throw new BadInput("Property values were not valid: hs_timestamp is required");
    String note = props.getString("hs_note_body", "");
    if (note.length() > 65_536) throw new BadInput("hs_note_body is longer than 65536 characters");
    List<String> contactIds = new ArrayList<>();
    JsonArray assocs = body.getValue("associations") instanceof JsonArray a ? a : new JsonArray();
    for (Object o : assocs) {
      JsonObject a = o instanceof JsonObject j ? j : new JsonObject();
      Object idValue = a.getValue("to") instanceof JsonObject to ? to.getValue("id") : null;
      String toId = idValue == null ? null : String.valueOf(idValue);
      JsonArray types = a.getValue("types") instanceof JsonArray t ? t : new JsonArray();
      boolean noteToContact = false;
      for (Object t : types) {
        if (t instanceof JsonObject tj && "HUBSPOT_DEFINED".equals(tj.getString("associationCategory"))
            && Integer.valueOf(202).equals(tj.getInteger("associationTypeId"))) noteToContact = true;
      }
      if (!noteToContact) throw new BadInput("association to " + toId + ": only HUBSPOT_DEFINED type 202 (note to contact) is emulated");
      if (toId == null || state.contact(toId) == null) throw new BadInput("association to contact " + toId + ": no such contact");
      contactIds.add(toId);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : props.fieldNames()) values.put(name, String.valueOf(props.getValue(name)));
    return state.addNote(values, contactIds);
  }

  private static JsonObject noteJson(HubSpotEmulator.Note n, String trace) {
    JsonObject p = new JsonObject();
    n.properties().forEach(p::put);
    JsonObject out = new JsonObject().put("id", n.id()).put("properties", p).put("createdAt", n.createdAt().toString())
        .put("updatedAt", n.updatedAt().toString()).put("archived", false);
    if (trace != null) out.put("objectWriteTraceId", trace);
    return out;
  }

  // ---- properties and groups -------------------------------------------------------------------------------------

  private Protocol.Reply listProperties() {
    JsonArray results = new JsonArray();
    for (HubSpotEmulator.Property p : state.propertyMap().values()) results.add(propertyJson(p));
    return Protocol.Reply.json(200, new JsonObject().put("results", results).encode(), JSON);
  }

  private Protocol.Reply createProperty(JsonObject b) throws BadInput {
    String name = b.getString("name");
    if (name == null || !PROPERTY_NAME.matcher(name).matches()) {
      throw new BadInput("name '" + name + "' must start with a lower-case letter and hold only a-z, 0-9 and _");
    }
    for (String k : new String[] {"label", "type", "fieldType", "groupName"}) {
      if (b.getString(k) == null || b.getString(k).isBlank()) throw new BadInput(k + " is required");
    }
    String type = b.getString("type");
    if (!List.of("string", "number", "date", "datetime", "enumeration", "bool").contains(type)) throw new BadInput("type '" + type + "' is not valid");
    if (state.group(b.getString("groupName")).isEmpty()) throw new BadInput("property group " + b.getString("groupName") + " does not exist");
    List<String> options = new ArrayList<>();
    if (b.getValue("options") instanceof JsonArray oa) {
      for (Object o : oa) if (o instanceof JsonObject oo && oo.getString("value") != null) options.add(oo.getString("value"));
    }
    HubSpotEmulator.Property p = new HubSpotEmulator.Property(name, b.getString("label"), type, b.getString("fieldType"),
        b.getString("groupName"), b.getString("description", ""), options, true, state.now());
    if (!state.addProperty(p)) return error(409, "OBJECT_ALREADY_EXISTS", "Property named '" + name + "' already exists.");
    return Protocol.Reply.json(201, propertyJson(p).encode(), JSON);
  }

  private Protocol.Reply createGroup(JsonObject b) throws BadInput {
    String name = b.getString("name");
    if (name == null || !PROPERTY_NAME.matcher(name).matches()) throw new BadInput("name '" + name + "' is not a valid group name");
    if (b.getString("label") == null || b.getString("label").isBlank()) throw new BadInput("label is required");
    HubSpotEmulator.Group g = new HubSpotEmulator.Group(name, b.getString("label"), b.getInteger("displayOrder", -1));
    if (!state.addGroup(g)) return error(409, "OBJECT_ALREADY_EXISTS", "A property group named '" + name + "' already exists.");
    return Protocol.Reply.json(201, groupJson(g).encode(), JSON);
  }

  private static JsonObject propertyJson(HubSpotEmulator.Property p) {
    return new JsonObject().put("name", p.name()).put("label", p.label()).put("type", p.type()).put("fieldType", p.fieldType())
        .put("groupName", p.groupName()).put("description", p.description()).put("options", options(p))
        .put("createdAt", p.createdAt().toString()).put("updatedAt", p.createdAt().toString())
        .put("hidden", false).put("formField", !p.custom() && p.fieldType().equals("text")).put("hasUniqueValue", p.name().equals("email"))
        .put("calculated", false).put("externalOptions", false)
        .put("modificationMetadata", new JsonObject().put("archivable", p.custom()).put("readOnlyDefinition", !p.custom())
            .put("readOnlyValue", p.name().equals("hs_object_id") || p.name().equals("createdate") || p.name().equals("lastmodifieddate")));
  }

  private static JsonArray options(HubSpotEmulator.Property p) {
    JsonArray a = new JsonArray();
    int i = 0;
    for (String v : p.options()) {
      a.add(new JsonObject().put("label", v).put("value", v).put("displayOrder", i++).put("hidden", false));
    }
    return a;
  }

  private static JsonObject groupJson(HubSpotEmulator.Group g) {
    return new JsonObject().put("name", g.name()).put("label", g.label()).put("displayOrder", g.displayOrder()).put("archived", false);
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  static Protocol.Reply error(int status, String category, String message) {
    JsonObject b = new JsonObject().put("status", "error").put("message", message)
        .put("correlationId", UUID.randomUUID().toString()).put("category", category);
    return Protocol.Reply.json(status, b.encode(), JSON);
  }

  static JsonObject json(Buffer body) throws BadInput {
    try {
      Object v = body.length() == 0 ? null : io.vertx.core.json.Json.decodeValue(body);
      if (v instanceof JsonObject o) return o;
      throw new BadInput("Invalid input JSON: expected an object");
    } catch (DecodeException e) {
      throw new BadInput("Invalid input JSON on line 1: " + e.getMessage());
    }
  }

  static JsonArray array(JsonObject o, String key) throws BadInput {
    Object v = o.getValue(key);
    if (v instanceof JsonArray a) return a;
    throw new BadInput(key + " is required and must be an array");
  }

  /** A request HubSpot would refuse with 400 {@code VALIDATION_ERROR}. */
  static final class BadInput extends Exception {
    BadInput(String message) {
      super(message, null, false, false);
    }
  }
}
