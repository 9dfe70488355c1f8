package dev.salesagent.server.ops;

import dev.salesagent.router.shared.SharedRedis;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.Gate;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.JsonOut;
import dev.salesagent.server.http.Responses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operations endpoints. {@code /healthz}, {@code /readyz} and {@code /metrics} are open (no key: probes and scrapers
 * carry none; they reveal no secrets, and the server binds to loopback by default). {@code /v1/models} and
 * {@code /v1/providers} need any valid key.
 */
public final class OpsHandlers {
  private final GatewayServices s;
  private final Vertx vertx;
  private final long created = System.currentTimeMillis() / 1000;

  public OpsHandlers(Vertx vertx, GatewayServices s) {
    this.vertx = vertx;
    this.s = s;
  }

  /** Liveness: the process answers. */
  public void healthz(ClientExchange x) {
    Responses.json(x.resp, 200, Buffer.buffer("{\"status\":\"ok\"}"));
  }

  /**
   * Readiness: the database answers (checked on a worker) and at least one provider is routable. With shared state,
   * {@code shared_state} says whether Redis answers; a replica whose Redis is down is still ready under
   * {@code fail_open} (it serves on local counters, and says so) and not ready under {@code fail_closed} (it refuses
   * calls, so a load balancer should send them elsewhere).
   */
  public void readyz(ClientExchange x) {
    boolean routable = s.providers().anyRoutable();
    if (s.db() == null) {
      ready(x, true, null, routable);
      return;
    }
    vertx.executeBlocking(() -> s.db().ping(), false).onComplete(ar -> ready(x, ar.succeeded() && ar.result(),
        ar.succeeded() ? null : ar.cause(), routable));
  }

  private void ready(ClientExchange x, boolean dbOk, Throwable dbError, boolean routable) {
    SharedRedis shared = s.sharedState();
    boolean sharedUp = shared == null || shared.up();
    boolean ok = dbOk && routable && (sharedUp || shared.policy() == SharedRedis.Policy.FAIL_OPEN);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", ok ? "ready" : "not_ready");
    m.put("database", s.db() == null ? "none" : dbOk ? "ok" : "unreachable");
    m.put("providers", routable ? "ok" : "none routable");
    m.put("shared_state", shared == null ? "none" : sharedUp ? "ok"
        : shared.policy() == SharedRedis.Policy.FAIL_OPEN ? "redis unreachable: local counters (fail_open)"
        : "redis unreachable: refusing calls (fail_closed)");
    Responses.json(x.resp, ok ? 200 : 503, JsonOut.buffer(g -> JsonOut.value(g, m)));
  }

  /** Prometheus text: the router's meters and Vert.x's HTTP server and client meters, from one registry. */
  public void metrics(ClientExchange x) {
    if (s.registry() == null) {
      Responses.sendOpenAiError(x.resp, ApiError.notFound("not_found", "metrics are not enabled"), x.requestId);
      return;
    }
    vertx.executeBlocking(() -> s.registry().scrape(), false).onComplete(ar -> {
      if (ar.failed()) {
        Responses.sendOpenAiError(x.resp, ApiError.internal("scrape failed"), x.requestId);
        return;
      }
      x.resp.setStatusCode(200).putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
    });
  }

  /** OpenAI's model list: auto, task:*, provider/model and bare model ids. */
  public void models(ClientExchange x) {
    Gate.admit(x, s, true, false).onFailure(t -> Responses.sendOpenAiError(x.resp, ApiError.from(t), x.requestId))
        .onSuccess(p -> Responses.json(x.resp, 200, JsonOut.buffer(g -> {
          g.writeStartObject();
          g.writeStringField("object", "list");
          g.writeArrayFieldStart("data");
          for (String id : s.catalog().ids()) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("object", "model");
            g.writeNumberField("created", created);
            g.writeStringField("owned_by", s.catalog().ownedBy(id));
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        })));
  }

  public void providers(ClientExchange x) {
    Gate.admit(x, s, false, false).onFailure(t -> Responses.sendOpenAiError(x.resp, ApiError.from(t), x.requestId))
        .onSuccess(p -> {
          List<Map<String, Object>> list = new ArrayList<>(s.providers().providers());
          Responses.json(x.resp, 200, JsonOut.buffer(g -> JsonOut.value(g, Map.of("object", "list", "data", list))));
        });
  }
}
