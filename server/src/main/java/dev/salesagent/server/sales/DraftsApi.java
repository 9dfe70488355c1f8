package dev.salesagent.server.sales;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.review.Decision;
import dev.salesagent.agent.review.Draft;
import dev.salesagent.agent.review.DraftId;
import dev.salesagent.agent.review.DraftReview;
import dev.salesagent.agent.review.DraftStatus;
import dev.salesagent.agent.review.DraftStore;
import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.Gate;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.Bodies;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.JsonProblems;
import dev.salesagent.server.http.Responses;
import dev.salesagent.server.http.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The review queue over HTTP ({@link DraftReview} holds the rules):
 *
 * <ul>
 *   <li>{@code GET /v1/drafts?status=pending|approved|rejected&run=&cursor=&limit=} — newest first, keyset-paged
 *       ({@code next_cursor} is {@code null} on the last page);</li>
 *   <li>{@code GET /v1/drafts/{id}} — the draft, its review and every decision on it;</li>
 *   <li>{@code POST /v1/drafts/{id}/approve} (no body, or {@code {}}) · {@code POST /v1/drafts/{id}/reject}
 *       {@code {"reason": "…"}} (required) · {@code POST /v1/drafts/{id}/edit} {@code {"subject","body",
 *       "call_to_action"?}} — 422 {@code grounding_failed} with {@code error.violations} when the edit breaks a
 *       grounding rule (nothing saved); 409 {@code draft_conflict} for a decision that does not apply to the draft's
 *       state or raced another.</li>
 * </ul>
 *
 * Authentication as for the rest of the API; a client key sees and decides only its own leads' drafts (another
 * tenant's draft is a 404), admins all. The decision records the caller's key id. JDBC runs off the event loop.
 */
public final class DraftsApi {
  private static final int BODY_LIMIT = 256 * 1024;

  private final Vertx vertx;
  private final GatewayServices s;
  private final DraftReview review;

  public DraftsApi(Vertx vertx, GatewayServices s, DraftReview review) {
    this.vertx = vertx;
    this.s = s;
    this.review = review;
  }

  public static boolean matches(String path) {
    return path.equals("/v1/drafts") || path.startsWith("/v1/drafts/");
  }

  /** Serves {@code req} when {@link #matches} its path; returns false (and touches nothing) otherwise. */
  public boolean handle(HttpServerRequest req) {
    String path = req.path();
    if (!matches(path)) return false;
    ClientExchange x = new ClientExchange(req, s.accessLog());
    HttpMethod m = req.method();
    var gate = Gate.admit(x, s, false, false);
    Future<Buffer> body = m == HttpMethod.POST ? Bodies.readAfter(gate, req, BODY_LIMIT) : gate.map(p -> Buffer.buffer());
    body.compose(b -> route(x, m, path, b)).onFailure(t -> fail(x, t));
    return true;
  }

  private Future<Void> route(ClientExchange x, HttpMethod m, String path, Buffer body) {
    if (path.equals("/v1/drafts")) return only(m, HttpMethod.GET, () -> list(x));
    String rest = path.substring("/v1/drafts/".length());
    int slash = rest.indexOf('/');
    DraftId id;
    try {
      id = DraftId.parse(slash < 0 ? rest : rest.substring(0, slash));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new ApiException(ApiError.notFound("draft_not_found", e.getMessage())));
    }
    Actor who = x.principal.actor();
    if (slash < 0) return only(m, HttpMethod.GET, () -> blocking(() -> detail(who, id)).map(o -> json(x, 200, o)));
    String action = rest.substring(slash + 1);
    return switch (action) {
      case "approve" -> only(m, HttpMethod.POST, () -> {
        JsonNode n = object(body, true);
        if (n.size() > 0) throw ApiException.invalid(null, "approve takes no fields (an edit is POST /v1/drafts/{id}/edit)");
        return decided(x, () -> review.approve(who, id));
      });
      case "reject" -> only(m, HttpMethod.POST, () -> {
        JsonNode n = object(body, false);
        String reason = text(n, "reason");
        if (reason == null || reason.isBlank()) throw ApiException.invalid("reason", "a rejection needs {\"reason\": \"…\"}");
        return decided(x, () -> review.reject(who, id, reason));
      });
      case "edit" -> only(m, HttpMethod.POST, () -> {
        JsonNode n = object(body, false);
        String subject = text(n, "subject");
        String text = text(n, "body");
        if (subject == null || text == null) throw ApiException.invalid(subject == null ? "subject" : "body", "an edit needs {\"subject\": \"…\", \"body\": \"…\"}");
        String cta = text(n, "call_to_action");
        return decided(x, () -> review.edit(who, id, subject, text, cta));
      });
      default -> Future.failedFuture(new ApiException(ApiError.notFound("not_found", "no such endpoint: " + path)));
    };
  }

  private Future<Void> list(ClientExchange x) {
    DraftStore.DraftQuery q;
    DraftStore.Cursor cursor;
    int limit;
    try {
      String st = x.req.getParam("status");
      q = new DraftStore.DraftQuery(st == null || st.isBlank() ? null : DraftStatus.fromWire(st), blankToNull(x.req.getParam("run")));
      String c = x.req.getParam("cursor");
      cursor = c == null || c.isBlank() ? null : DraftStore.Cursor.parse(c.strip());
      limit = intParam(x, "limit", 50, 1, DraftReview.MAX_PAGE);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiException.invalid(null, e.getMessage()));
    }
    Actor who = x.principal.actor();
    return blocking(() -> review.list(who, q, cursor, limit)).map(page -> {
      ObjectNode o = AgentJson.MAPPER.createObjectNode();
      o.put("object", "list");
      ArrayNode data = o.putArray("data");
      page.drafts().forEach(d -> data.add(draftJson(d)));
      o.put("next_cursor", page.next() == null ? null : page.next().wire());
      return json(x, 200, o);
    });
  }

  private ObjectNode detail(Actor who, DraftId id) {
    Draft d = review.show(who, id);
    ObjectNode o = draftJson(d);
    ArrayNode decisions = o.putArray("decisions");
    for (Decision dec : review.history(who, id)) decisions.add(decisionJson(dec));
    return o;
  }

  private Future<Void> decided(ClientExchange x, Callable<Draft> decision) {
    Actor who = x.principal.actor();
    return blocking(() -> {
      Draft d = decision.call();
      ObjectNode o = draftJson(d);
      ArrayNode decisions = o.putArray("decisions");
      for (Decision dec : review.history(who, d.id())) decisions.add(decisionJson(dec));
      return o;
    }).map(o -> json(x, 200, o));
  }

  /** A draft as the API and the console show it. */
  public static ObjectNode draftJson(Draft d) {
    ObjectNode o = AgentJson.MAPPER.createObjectNode();
    o.put("object", "draft");
    o.put("id", d.id().wire());
    o.put("run_id", d.id().runId());
    o.put("lead_id", d.id().leadId());
    ObjectNode lead = o.putObject("lead");
    lead.put("email", d.lead().email());
    lead.put("first_name", d.lead().firstName());
    lead.put("last_name", d.lead().lastName());
    lead.put("company", d.lead().company());
    lead.put("job_title", d.lead().jobTitle());
    o.put("tier", d.tier() == null ? null : d.tier().wire());
    o.put("status", d.status().wire());
    o.put("ready_to_send", d.readyToSend());
    OutreachDraft c = d.current();
    o.put("subject", c.subject());
    o.put("body", c.body());
    o.put("call_to_action", c.callToAction());
    o.put("unsubscribe_line", c.unsubscribeLine());
    o.put("full_text", c.fullText());
    o.set("personalisation_points", AgentJson.MAPPER.valueToTree(c.personalisationPoints()));
    o.put("edited", d.edited() != null);
    if (d.edited() != null) {
      ObjectNode orig = o.putObject("original");
      orig.put("subject", d.original().subject());
      orig.put("body", d.original().body());
      orig.put("call_to_action", d.original().callToAction());
    }
    o.put("drafted_at", d.draftedAt().toString());
    o.put("provider", d.provider());
    o.put("model", d.model());
    o.put("cost_usd", d.costUsd());
    if (d.review() == null) {
      o.putNull("review");
    } else {
      ObjectNode r = o.putObject("review");
      by(r, d.review().byKeyId(), d.review().byAdmin());
      r.put("at", d.review().at().toString());
      r.put("reason", d.review().reason());
    }
    return o;
  }

  /** One decision as the API and the CLI show it. */
  public static ObjectNode decisionJson(Decision d) {
    ObjectNode o = AgentJson.MAPPER.createObjectNode();
    o.put("action", d.action().wire());
    o.put("at", d.at().toString());
    by(o, d.actorKeyId(), d.actorAdmin());
    o.putObject("before").put("subject", d.beforeSubject()).put("text", d.beforeBody());
    o.putObject("after").put("subject", d.afterSubject()).put("text", d.afterBody());
    o.put("reason", d.reason());
    return o;
  }

  /** Who decided: the key id and whether it is an admin; {@code key_id} null = the operator at the command line. */
  private static void by(ObjectNode o, String keyId, boolean admin) {
    o.putObject("by").put("key_id", keyId).put("admin", admin);
  }

  // ---- plumbing ----

  private static JsonNode object(Buffer body, boolean emptyOk) {
    if (body.length() == 0 || body.toString().isBlank()) {
      if (emptyOk) return AgentJson.MAPPER.createObjectNode();
      throw ApiException.invalid(null, "the body must be a JSON object");
    }
    JsonNode n;
    try {
      n = StrictJson.parse(body);
    } catch (Exception e) {
      throw ApiException.invalid(null, "the body is not JSON: " + JsonProblems.describe(e));
    }
    if (n == null || !n.isObject()) throw ApiException.invalid(null, "the body must be a JSON object");
    return n;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw ApiException.invalid(field, field + " must be a string");
    return v.asText();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static int intParam(ClientExchange x, String name, int dflt, int min, int max) {
    String v = x.req.getParam(name);
    if (v == null || v.isBlank()) return dflt;
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.invalid(name, name + " must be an integer in " + min + ".." + max);
    }
  }

  private <T> Future<T> blocking(Callable<T> c) {
    return vertx.executeBlocking(c, false);
  }

  private static Future<Void> only(HttpMethod m, HttpMethod allowed, Callable<Future<Void>> f) {
    if (m != allowed) {
      return Future.failedFuture(new ApiException(new ApiError(405, "method_not_allowed", "use " + allowed.name(), null, null, null)));
    }
    try {
      return f.call();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private static Void json(ClientExchange x, int status, JsonNode body) {
    Responses.json(x.resp, status, Buffer.buffer(AgentJson.write(body)));
    return null;
  }

  private static void fail(ClientExchange x, Throwable t) {
    if (x.resp.ended()) return;
    Bodies.abandon(x.req);
    if (t instanceof DraftReview.GroundingFailed gf) {
      x.errorCode = "grounding_failed";
      ObjectNode o = AgentJson.MAPPER.createObjectNode();
      ObjectNode e = o.putObject("error");
      e.put("message", gf.getMessage());
      e.put("type", "invalid_request_error");
      e.put("param", "body");
      e.put("code", "grounding_failed");
      ArrayNode v = e.putArray("violations");
      gf.violations().forEach(v::add);
      if (x.requestId != null) e.put("request_id", x.requestId);
      json(x, 422, o);
      return;
    }
    ApiError e;
    if (t instanceof DraftReview.NotFound nf) {
      e = ApiError.notFound("draft_not_found", nf.getMessage());
    } else if (t instanceof DraftReview.Conflict c) {
      e = new ApiError(409, "draft_conflict", c.getMessage(), null, null, null);
    } else if (t instanceof ApiException ae) {
      e = ae.error();
    } else if (t instanceof IllegalArgumentException ia) {
      e = ApiError.invalid(null, ia.getMessage());
    } else {
      e = ApiError.from(t);
    }
    x.errorCode = e.code();
    Responses.sendOpenAiError(x.resp, e, x.requestId);
  }
}
