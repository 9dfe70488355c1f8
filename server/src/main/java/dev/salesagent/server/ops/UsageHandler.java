package dev.salesagent.server.ops;

import dev.salesagent.router.routing.UsageFilter;
import dev.salesagent.router.routing.UsageTotals;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.Gate;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.JsonOut;
import dev.salesagent.server.http.Responses;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /v1/usage}: spend from the ledger. Query parameters: {@code group_by} (comma-separated: key, task,
 * provider, model, day, outcome; default {@code key,task,provider,model,day}), {@code from} / {@code to}
 * ({@code 2026-11-24} = that UTC day's start, or an ISO instant; {@code to} exclusive), {@code key}, {@code task},
 * {@code provider}, {@code model}, {@code request_id_prefix}. A client key sees only its own usage; admins see all.
 */
public final class UsageHandler {
  private final Vertx vertx;
  private final GatewayServices s;

  public UsageHandler(Vertx vertx, GatewayServices s) {
    this.vertx = vertx;
    this.s = s;
  }

  public void handle(ClientExchange x) {
    Gate.admit(x, s, false, false).onFailure(t -> Responses.sendOpenAiError(x.resp, ApiError.from(t), x.requestId))
        .onSuccess(p -> {
          if (s.usage() == null) {
            Responses.sendOpenAiError(x.resp, new ApiError(503, "no_database", "usage needs a database", null, null, null), x.requestId);
            return;
          }
          List<String> groupBy;
          UsageFilter f;
          try {
            HttpServerRequest r = x.req;
            String g = r.getParam("group_by");
            groupBy = g == null ? List.of("key", "task", "provider", "model", "day")
                : Arrays.stream(g.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
            String key = r.getParam("key");
            if (!p.admin()) {
              if (key != null && !key.equals(p.keyId())) {
                throw new ApiException(ApiError.forbidden("a client key may only read its own usage (key " + p.keyId() + ")"));
              }
              key = p.keyId();
            }
            f = new UsageFilter(time(r.getParam("from"), "from"), time(r.getParam("to"), "to"), key, r.getParam("task"),
                r.getParam("provider"), r.getParam("model"), r.getParam("request_id_prefix"));
          } catch (ApiException e) {
            Responses.sendOpenAiError(x.resp, e.error(), x.requestId);
            return;
          }
          List<String> dims = groupBy;
          vertx.executeBlocking(() -> s.usage().totals(dims, f), false).onComplete(ar -> {
            if (ar.failed()) {
              ApiError e = ar.cause() instanceof IllegalArgumentException iae ? ApiError.invalid("group_by", iae.getMessage())
                  : ApiError.from(ar.cause());
              Responses.sendOpenAiError(x.resp, e, x.requestId);
              return;
            }
            Responses.json(x.resp, 200, JsonOut.buffer(gen -> {
              gen.writeStartObject();
              gen.writeStringField("object", "list");
              gen.writeArrayFieldStart("group_by");
              for (String d : dims) gen.writeString(d);
              gen.writeEndArray();
              gen.writeArrayFieldStart("data");
              for (UsageTotals t : ar.result()) {
                gen.writeStartObject();
                for (var e : t.group().entrySet()) gen.writeStringField(e.getKey(), e.getValue());
                gen.writeNumberField("requests", t.requests());
                gen.writeNumberField("attempts", t.attempts());
                gen.writeNumberField("failed_attempts", t.failedAttempts());
                gen.writeNumberField("input_tokens", t.inputTokens());
                gen.writeNumberField("cached_input_tokens", t.cachedInputTokens());
                gen.writeNumberField("output_tokens", t.outputTokens());
                gen.writeNumberField("cost_usd", t.costUsd());
                // estimates are never folded into the reported token counts above (see docs/OPERATIONS.md)
                gen.writeNumberField("estimated_attempts", t.estimatedAttempts());
                gen.writeNumberField("estimated_input_tokens", t.estimatedInputTokens());
                gen.writeNumberField("estimated_output_tokens", t.estimatedOutputTokens());
                gen.writeNumberField("estimated_cost_usd", t.estimatedCostUsd());
                gen.writeEndObject();
              }
              gen.writeEndArray();
              gen.writeEndObject();
            }));
          });
        });
  }

  static Instant time(String v, String name) {
    if (v == null || v.isBlank()) return null;
    try {
      if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(name, name + " must be a date (2026-11-24) or an ISO instant (2026-11-24T10:00:00Z)");
    }
  }
}
