package dev.salesagent.server.sales;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.agent.outcome.CostPerOutcome;
import dev.salesagent.agent.outcome.Outcome;
import dev.salesagent.agent.outcome.OutcomeQueries;
import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.Gate;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.math.BigDecimal;

/**
 * {@code GET /v1/outcomes/cost[?run=ID]} (admin keys): cost per qualified lead, approved draft, sent email and
 * interested reply, by task and provider (docs/SALES-PIPELINE.md "Cost per outcome"). Spend crosses tenants, so it
 * is for admins only.
 */
public final class OutcomesApi {
  public static final String PATH = "/v1/outcomes/cost";
  private final Vertx vertx;
  private final GatewayServices s;
  private final OutcomeQueries queries;

  public OutcomesApi(Vertx vertx, GatewayServices s, OutcomeQueries queries) {
    this.vertx = vertx;
    this.s = s;
    this.queries = queries;
  }

  /** Serves {@code req} when its path is {@link #PATH}; returns false (and touches nothing) otherwise. */
  public boolean handle(HttpServerRequest req) {
    if (!req.path().equals(PATH)) return false;
    ClientExchange x = new ClientExchange(req, s.accessLog());
    Gate.admit(x, s, false, true).compose(p -> {
      if (req.method() != HttpMethod.GET) {
        return Future.failedFuture(new ApiException(new ApiError(405, "method_not_allowed", "use GET", null, null, null)));
      }
      String run = req.getParam("run");
      String runId = run == null || run.isBlank() ? null : run.strip();
      return vertx.executeBlocking(() -> queries.costPerOutcome(runId), false).map(c -> {
        Responses.json(x.resp, 200, Buffer.buffer(json(runId, c).toString()));
        return (Void) null;
      });
    }).onFailure(t -> {
      if (x.resp.ended()) return;
      ApiError e = t instanceof ApiException ae ? ae.error() : ApiError.from(t);
      x.errorCode = e.code();
      Responses.sendOpenAiError(x.resp, e, x.requestId);
    });
    return true;
  }

  /** {@code {"run", "counts": {outcome: n}, "rows": [{task, provider, attempts, cost_usd, per_outcome: {…}}], "total": {…}}}. */
  public static ObjectNode json(String runIdOrNull, CostPerOutcome c) {
    ObjectNode o = AgentJson.MAPPER.createObjectNode();
    if (runIdOrNull == null) o.putNull("run"); else o.put("run", runIdOrNull);
    ObjectNode counts = o.putObject("counts");
    c.counts().forEach((k, v) -> counts.put(k.wire(), v));
    var rows = o.putArray("rows");
    for (CostPerOutcome.Row r : c.rows()) row(rows.addObject(), r);
    row(o.putObject("total"), c.total());
    return o;
  }

  private static void row(ObjectNode n, CostPerOutcome.Row r) {
    if (!r.task().equals("total")) {
      n.put("task", r.task());
      n.put("provider", r.provider());
    }
    n.put("attempts", r.attempts());
    n.put("cost_usd", r.costUsd());
    ObjectNode per = n.putObject("per_outcome");
    for (Outcome o : Outcome.values()) {
      BigDecimal v = r.perOutcome().get(o);
      if (v == null) per.putNull(o.wire()); else per.put(o.wire(), v);
    }
  }
}
