package dev.salesagent.server.sales;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.csv.ImportIssue;
import dev.salesagent.agent.csv.ImportResult;
import dev.salesagent.agent.csv.LeadCsvImporter;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.parse.ParseUseCase;
import dev.salesagent.agent.pipeline.LeadRepository;
import dev.salesagent.agent.pipeline.LeadSteps;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.pipeline.StepRecord;
import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.agent.schema.StructuredOutputException;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.Gate;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.Bodies;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.JsonProblems;
import dev.salesagent.server.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The sales endpoints of the HTTP contract, translated to the same use cases and step rules as the CLI
 * ({@link LeadSteps}: prerequisites, step records, the export's join):
 *
 * <ul>
 *   <li>{@code GET /v1/leads?offset=&limit=} · {@code POST /v1/leads} (JSON lead, upsert by email) ·
 *       {@code GET|PUT|DELETE /v1/leads/{id}} (GET adds the latest qualification, research and outreach)</li>
 *   <li>{@code POST /v1/leads/import} (CSV body: same importer and report as {@code run}) ·
 *       {@code GET /v1/leads/export} (CSV: HubSpot columns + the six result columns, formula-safe)</li>
 *   <li>{@code POST /v1/leads/{id}/qualify|research|outreach}: one step through the router; research needs a
 *       qualification, outreach a research brief (409 otherwise). Results are stored under the pseudo-run
 *       {@value LeadSteps#API_RUN}.</li>
 *   <li>{@code POST /v1/parse} {@code {"text": "…"}}: a contact card.</li>
 * </ul>
 *
 * Every call authenticates like the rest of the API ({@link Gate}) and acts as the caller's {@link Actor}: its key pays
 * for the steps and parse (402 when its budget cannot afford a call), its tenant bounds which leads it sees (a client
 * key its own, admins all; another tenant's lead is a 404). Errors use the OpenAI error body. Lead JSON uses
 * snake_case field names ({@code first_name}, {@code job_title}, {@code employees} …). JDBC runs off the event loop.
 *
 * <p>Wiring: the dispatcher calls {@link #handle} for paths under {@code /v1/leads} and for {@code /v1/parse}.
 */
public final class SalesApi {
  private static final int CSV_LIMIT = 20 * 1024 * 1024;

  private final Vertx vertx;
  private final GatewayServices s;
  private final LeadRepository leads;
  private final LeadSteps steps;
  private final ParseUseCase parse;

  public SalesApi(Vertx vertx, GatewayServices s, LeadRepository leads, LeadSteps steps, ParseUseCase parse) {
    this.vertx = vertx;
    this.s = s;
    this.leads = leads;
    this.steps = steps;
    this.parse = parse;
  }

  /** True for the paths this API serves. */
  public static boolean matches(String path) {
    return path.equals("/v1/leads") || path.startsWith("/v1/leads/") || path.equals("/v1/parse");
  }

  /** Serves {@code req} when {@link #matches} its path; returns false (and touches nothing) otherwise. */
  public boolean handle(HttpServerRequest req) {
    String path = req.path();
    if (!matches(path)) return false;
    ClientExchange x = new ClientExchange(req, s.accessLog());
    HttpMethod m = req.method();
    boolean hasBody = m == HttpMethod.POST || m == HttpMethod.PUT;
    var gate = Gate.admit(x, s, false, false);
    Future<Buffer> body = hasBody ? Bodies.readAfter(gate, req, CSV_LIMIT) : gate.map(p -> Buffer.buffer());
    body.compose(b -> route(x, m, path, b)).onFailure(t -> fail(x, t));
    return true;
  }

  private Future<Void> route(ClientExchange x, HttpMethod m, String path, Buffer body) {
    if (path.equals("/v1/parse")) return only(m, HttpMethod.POST, () -> parse(x, body));
    if (path.equals("/v1/leads")) {
      if (m == HttpMethod.GET) return list(x);
      if (m == HttpMethod.POST) return upsert(x, body, null);
      return notAllowed("GET, POST");
    }
    if (path.equals("/v1/leads/import")) return only(m, HttpMethod.POST, () -> importCsv(x, body));
    if (path.equals("/v1/leads/export")) return only(m, HttpMethod.GET, () -> export(x));
    String rest = path.substring("/v1/leads/".length());
    int slash = rest.indexOf('/');
    String id = slash < 0 ? rest : rest.substring(0, slash);
    if (id.isEmpty()) return notFound(path);
    if (slash < 0) {
      if (m == HttpMethod.GET) return get(x, id);
      if (m == HttpMethod.PUT) return upsert(x, body, id);
      if (m == HttpMethod.DELETE) return delete(x, id);
      return notAllowed("GET, PUT, DELETE");
    }
    String action = rest.substring(slash + 1);
    return switch (action) {
      case "qualify" -> only(m, HttpMethod.POST, () -> step(x, id, Step.QUALIFY));
      case "research" -> only(m, HttpMethod.POST, () -> step(x, id, Step.RESEARCH));
      case "outreach" -> only(m, HttpMethod.POST, () -> step(x, id, Step.OUTREACH));
      default -> notFound(path);
    };
  }

  // ---- leads CRUD ----

  private Future<Void> list(ClientExchange x) {
    int offset = intParam(x, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = intParam(x, "limit", 100, 1, 1000);
    return blocking(() -> {
      ObjectNode o = AgentJson.MAPPER.createObjectNode();
      o.put("object", "list");
      o.put("total", leads.count(actor(x)));
      ArrayNode data = o.putArray("data");
      for (Lead l : leads.list(actor(x), offset, limit)) data.add(AgentJson.MAPPER.valueToTree(l));
      return o;
    }).map(o -> json(x, 200, o));
  }

  private Future<Void> upsert(ClientExchange x, Buffer body, String pathId) {
    Lead lead;
    try {
      JsonNode n = dev.salesagent.server.http.StrictJson.parse(body); // one JSON value, nothing after it
      if (n == null || !n.isObject()) throw new ApiException(ApiError.invalid(null, "the body must be a JSON object (a lead)"));
      ((ObjectNode) n).remove("id");
      lead = AgentJson.MAPPER.treeToValue(n, Lead.class);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    } catch (Exception e) {
      return Future.failedFuture(ApiException.invalid(null, "invalid lead: " + JsonProblems.describe(e)));
    }
    Actor actor = actor(x);
    Lead claimed = actor.claim(lead);
    return blocking(() -> {
      // PUT on a lead the caller can see keeps that lead (an admin may edit any tenant's); otherwise the id must be
      // the one the email has in the caller's tenant. Both refusals read the same, so they tell nothing of others.
      Lead target = pathId == null ? claimed
          : leads.find(actor, pathId).filter(old -> old.email().equals(claimed.email())).map(old -> claimed.withId(pathId))
              .orElse(claimed);
      if (pathId != null && !pathId.equals(target.id())) {
        throw ApiException.invalid("email", "lead " + pathId + " has another email; the id follows the email (" + claimed.id() + ")");
      }
      boolean existed = leads.find(actor, target.id()).isPresent();
      leads.upsert(actor.owner(), List.of(target));
      return Map.entry(existed, target);
    }).map(e -> json(x, e.getKey() || pathId != null ? 200 : 201, AgentJson.MAPPER.valueToTree(e.getValue())));
  }

  private Future<Void> get(ClientExchange x, String id) {
    return steps.latest(id, actor(x)).map(latest -> {
      ObjectNode o = AgentJson.MAPPER.createObjectNode();
      o.set("lead", AgentJson.MAPPER.valueToTree(latest.lead()));
      latest.steps().forEach((st, r) -> o.set(st.wire(), r.map(SalesApi::stepJson).orElse(null)));
      return json(x, 200, o);
    });
  }

  private Future<Void> delete(ClientExchange x, String id) {
    return blocking(() -> leads.delete(actor(x), id)).compose(ok -> {
      if (!ok) return Future.failedFuture(new ApiException(ApiError.notFound("lead_not_found", "no lead " + id)));
      x.resp.setStatusCode(204).end();
      return Future.succeededFuture();
    });
  }

  // ---- import / export ----

  private Future<Void> importCsv(ClientExchange x, Buffer body) {
    Actor actor = actor(x);
    return blocking(() -> {
      ImportResult r;
      try {
        // the bytes as sent: the importer refuses what is not UTF-8 (decoding here would store mojibake)
        r = new LeadCsvImporter().read(new ByteArrayInputStream(body.getBytes()));
      } catch (LeadCsvImporter.ImportException e) {
        throw ApiException.invalid(null, e.getMessage());
      }
      List<Lead> claimed = r.leads().stream().map(actor::claim).toList();
      for (int i = 0; i < claimed.size(); i += 500) leads.upsert(actor.owner(), claimed.subList(i, Math.min(claimed.size(), i + 500)));
      ObjectNode o = AgentJson.MAPPER.createObjectNode();
      o.put("rows_read", r.rowsRead());
      o.put("imported", r.leads().size());
      o.put("merged", r.merged());
      o.put("rejected", r.errors());
      ArrayNode issues = o.putArray("issues");
      for (ImportIssue i : r.issues()) {
        issues.addObject().put("line", i.line()).put("severity", i.severity()).put("reason", i.reason());
      }
      ArrayNode ids = o.putArray("lead_ids");
      claimed.forEach(l -> ids.add(l.id()));
      return o;
    }).map(o -> json(x, 200, o));
  }

  private Future<Void> export(ClientExchange x) {
    return blocking(() -> {
      StringWriter w = new StringWriter();
      steps.exportLatest(w, actor(x));
      return w.toString();
    }).map(csv -> {
      x.resp.setStatusCode(200).putHeader("content-type", "text/csv; charset=utf-8")
          .putHeader("content-disposition", "attachment; filename=\"leads.csv\"").end(csv);
      return null;
    });
  }

  // ---- steps ----

  private Future<Void> step(ClientExchange x, String id, Step step) {
    return steps.run(id, step, x.requestId, actor(x)).map(rec -> {
      x.provider = rec.provider();
      x.model = rec.model();
      return json(x, 200, stepJson(rec));
    });
  }

  private static ObjectNode stepJson(StepRecord r) {
    ObjectNode o = AgentJson.MAPPER.createObjectNode();
    o.put("step", r.step().wire());
    o.put("status", r.status().wire());
    if (r.resultJson() != null) o.set("result", parse(r.resultJson()));
    o.put("prompt_version", r.promptVersion());
    o.put("provider", r.provider());
    o.put("model", r.model());
    o.put("cost_usd", r.costUsd());
    o.put("calls", r.calls());
    o.put("latency_ms", r.latencyMs());
    o.put("error", r.error());
    o.put("at", String.valueOf(r.finishedAt() != null ? r.finishedAt() : r.startedAt()));
    return o;
  }

  private static JsonNode parse(String json) {
    try {
      return AgentJson.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- parse ----

  private Future<Void> parse(ClientExchange x, Buffer body) {
    String text;
    try {
      JsonNode n = dev.salesagent.server.http.StrictJson.parse(body); // one JSON value, nothing after it
      if (n == null || !n.path("text").isTextual() || n.get("text").asText().isBlank()) {
        return Future.failedFuture(ApiException.invalid("text", "the body must be {\"text\": \"…\"} with the text to parse"));
      }
      text = n.get("text").asText();
    } catch (Exception e) {
      return Future.failedFuture(ApiException.invalid(null, "the body is not JSON: " + JsonProblems.describe(e)));
    }
    if (text.length() > ParseUseCase.MAX_TEXT) {
      return Future.failedFuture(ApiException.invalid("text", "text is longer than " + ParseUseCase.MAX_TEXT + " characters"));
    }
    return parse.parseContact(text, x.requestId, actor(x)).map(r -> {
      x.provider = r.provider();
      x.model = r.model();
      ObjectNode o = AgentJson.MAPPER.createObjectNode();
      o.set("contact", AgentJson.MAPPER.valueToTree(r.value()));
      o.put("prompt_version", r.promptId());
      o.put("provider", r.provider());
      o.put("model", r.model());
      o.put("cost_usd", r.costUsd());
      o.put("calls", r.calls());
      return json(x, 200, o);
    });
  }

  // ---- plumbing ----

  /** The caller: its key pays for the steps (budget checked before each router call), its tenant bounds what it sees. */
  private static Actor actor(ClientExchange x) {
    return x.principal.actor();
  }

  private <T> Future<T> blocking(Callable<T> c) {
    return vertx.executeBlocking(c, false);
  }

  private static Future<Void> only(HttpMethod m, HttpMethod allowed, Callable<Future<Void>> f) {
    if (m != allowed) return notAllowed(allowed.name());
    try {
      return f.call();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private static Future<Void> notAllowed(String allowed) {
    return Future.failedFuture(new ApiException(new ApiError(405, "method_not_allowed", "use " + allowed, null, null, null)));
  }

  private static Future<Void> notFound(String path) {
    return Future.failedFuture(new ApiException(ApiError.notFound("not_found", "no such endpoint: " + path)));
  }

  private static int intParam(ClientExchange x, String name, int dflt, int min, int max) {
    String v = x.req.getParam(name);
    if (v == null || v.isBlank()) return dflt;
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new ApiException(ApiError.invalid(name, name + " must be an integer in " + min + ".." + max));
    }
  }

  private static Void json(ClientExchange x, int status, JsonNode body) {
    Responses.json(x.resp, status, Buffer.buffer(AgentJson.write(body)));
    return null;
  }

  private static void fail(ClientExchange x, Throwable t) {
    if (x.resp.ended()) return;
    ApiError e;
    if (t instanceof LeadSteps.LeadNotFound nf) {
      e = ApiError.notFound("lead_not_found", nf.getMessage());
    } else if (t instanceof LeadSteps.PrerequisiteMissing pm) {
      e = new ApiError(409, "step_missing", pm.getMessage() + ": POST /v1/leads/" + pm.leadId() + "/"
          + pm.missing().wire() + " first", null, null, null);
    } else if (t instanceof LeadSteps.NotEngaged ne) {
      e = new ApiError(409, "lead_not_engaged", ne.getMessage(), null, null, null);
    } else if (t instanceof StructuredOutputException so) {
      e = new ApiError(502, "invalid_output", so.getMessage(), null, null, null);
    } else if (t instanceof IllegalArgumentException ia && !(t instanceof ApiException)) {
      e = ApiError.invalid(null, ia.getMessage());
    } else {
      e = ApiError.from(t);
    }
    x.errorCode = e.code();
    Bodies.abandon(x.req);
    Responses.sendOpenAiError(x.resp, e, x.requestId);
  }
}
