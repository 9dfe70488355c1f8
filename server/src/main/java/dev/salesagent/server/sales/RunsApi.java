package dev.salesagent.server.sales;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.pipeline.RunInfo;
import dev.salesagent.agent.pipeline.RunStore;
import dev.salesagent.agent.pipeline.RunSummary;
import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.Gate;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.Responses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * Pipeline runs, read-only: {@code GET /v1/runs?limit=} (newest first, with each run's summary) and
 * {@code GET /v1/runs/{id}} (progress per step, qualified leads per tier, cost per task and provider, failures with
 * their reasons — {@link RunSummary}). A client key sees its own runs, admins all; another tenant's run is a 404.
 */
public final class RunsApi {
  private final Vertx vertx;
  private final GatewayServices s;
  private final RunStore runs;

  public RunsApi(Vertx vertx, GatewayServices s, RunStore runs) {
    this.vertx = vertx;
    this.s = s;
    this.runs = runs;
  }

  public boolean handle(HttpServerRequest req) {
    String path = req.path();
    if (!path.equals("/v1/runs") && !path.startsWith("/v1/runs/")) return false;
    ClientExchange x = new ClientExchange(req, s.accessLog());
    req.resume();
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      x.resp.putHeader("allow", "GET");
      Responses.sendOpenAiError(x.resp, new ApiError(405, "method_not_allowed", "runs are read with GET", null, null, null), x.requestId);
      return true;
    }
    Gate.admit(x, s, false, false).compose(p -> {
      Actor actor = p.actor();
      if (path.equals("/v1/runs")) {
        int limit = limit(x.req.getParam("limit"));
        return vertx.executeBlocking(() -> {
          ObjectNode o = AgentJson.MAPPER.createObjectNode();
          o.put("object", "list");
          ArrayNode data = o.putArray("data");
          for (RunInfo r : runs.runs(actor, limit)) data.add(json(summary(r)));
          return o;
        }, false);
      }
      String id = path.substring("/v1/runs/".length());
      return vertx.executeBlocking(() -> {
        RunInfo r = runs.findRun(id).filter(run -> actor.sees(run.actor().owner()))
            .orElseThrow(() -> new ApiException(ApiError.notFound("run_not_found", "no run " + id)));
        return json(summary(r));
      }, false);
    }).onSuccess(o -> Responses.json(x.resp, 200, Buffer.buffer(AgentJson.write(o)))).onFailure(t -> {
      ApiError e = ApiError.from(t);
      x.errorCode = e.code();
      Responses.sendOpenAiError(x.resp, e, x.requestId);
    });
    return true;
  }

  private RunSummary summary(RunInfo r) {
    return RunSummary.of(r, runs.runLeads(r.id()).size(), runs.steps(r.id()).values());
  }

  private static int limit(String v) {
    if (v == null || v.isBlank()) return 50;
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 1 && n <= 500) return n;
    } catch (NumberFormatException e) {
      // the 400 below
    }
    throw ApiException.invalid("limit", "limit must be an integer in 1..500");
  }

  static ObjectNode json(RunSummary sum) {
    RunInfo r = sum.run();
    ObjectNode o = AgentJson.MAPPER.createObjectNode();
    o.put("id", r.id());
    o.put("status", r.status());
    o.put("steps", r.steps());
    o.put("concurrency", r.concurrency());
    o.put("input", r.inputPath());
    o.put("started_at", String.valueOf(r.startedAt()));
    o.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
    o.put("leads", sum.leads());
    ObjectNode progress = o.putObject("progress");
    sum.byStep().forEach((step, counts) -> {
      ObjectNode c = progress.putObject(step.wire());
      counts.forEach(c::put);
    });
    ObjectNode tiers = o.putObject("tiers");
    sum.tiers().forEach(tiers::put);
    o.put("cost_usd", sum.costUsd());
    put(o.putObject("cost_by_task"), sum.costByTask());
    put(o.putObject("cost_by_provider"), sum.costByProvider());
    ArrayNode failures = o.putArray("failures");
    for (RunSummary.Failure f : sum.failures()) {
      failures.addObject().put("lead_id", f.leadId()).put("step", f.step().wire()).put("error", f.error());
    }
    return o;
  }

  private static void put(ObjectNode o, Map<String, Double> m) {
    m.forEach(o::put);
  }
}
