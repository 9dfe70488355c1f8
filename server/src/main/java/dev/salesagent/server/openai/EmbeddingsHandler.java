package dev.salesagent.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.routing.EmbeddingCall;
import dev.salesagent.router.routing.RoutedEmbeddings;
import dev.salesagent.router.trace.TraceScope;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.Gate;
import dev.salesagent.server.auth.TokenGate;
import dev.salesagent.server.auth.TokenRateLimiter;
import dev.salesagent.router.tokens.TokenEstimator;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.Bodies;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.Log;
import dev.salesagent.server.http.Money;
import dev.salesagent.server.http.Responses;
import dev.salesagent.server.http.Strategies;
import dev.salesagent.server.http.StrictJson;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /v1/embeddings} (OpenAI format): authenticate (the key's rate limit included), read and check the body,
 * route through the router like a chat call — the task {@code embedding} unless the model names another task or an
 * embedding model; budgets, fallback, retries, circuit breakers and the ledger as for chat — and answer the vectors as
 * floats or base64. Headers as for a non-streaming chat answer: {@code x-sales-agent-provider},
 * {@code x-sales-agent-attempts}, {@code x-sales-agent-attempt-list}, {@code x-sales-agent-cost-usd},
 * {@code x-sales-agent-task}.
 */
public final class EmbeddingsHandler implements Handler<HttpServerRequest> {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EmbeddingsHandler.class);
  private final GatewayServices s;

  public EmbeddingsHandler(GatewayServices s) {
    this.s = s;
  }

  @Override
  public void handle(HttpServerRequest req) {
    ClientExchange x = new ClientExchange(req, s.accessLog());
    if (s.tracing().enabled()) x.trace(s.tracing(), "POST " + req.path()); // no span name built when tracing is off
    Bodies.readAfter(Gate.admit(x, s, false, false), req, s.options().bodyLimitBytes())
        .onSuccess(b -> {
          try {
            route(x, b);
          } catch (RuntimeException e) {
            Log.error(log, x.requestId, "unexpected failure handling {}", x.req.path(), e);
            x.errorCode = "internal_error";
            Responses.sendOpenAiError(x.resp, ApiError.internal("internal error"), x.requestId);
          }
        })
        .onFailure(t -> {
          ApiError e = ApiError.from(t);
          x.errorCode = e.code();
          Bodies.abandon(req);
          Responses.sendOpenAiError(x.resp, e, x.requestId);
        });
  }

  private void route(ClientExchange x, Buffer body) {
    EmbeddingsRequests.Parsed parsed;
    try {
      JsonNode root = StrictJson.parse(body);
      if (root == null) throw ApiException.invalid(null, "the body is not valid JSON (one JSON object, nothing after it)");
      parsed = EmbeddingsRequests.parse(root, s.catalog());
    } catch (ApiException e) {
      x.errorCode = e.error().code();
      Responses.sendOpenAiError(x.resp, e.error(), x.requestId);
      return;
    }
    x.model = parsed.requestedModel();
    if (x.principal.tpm() == null) {
      dispatch(x, parsed, TokenGate.UNLIMITED);
      return;
    }
    long estimate = 1;
    for (String in : parsed.embedding().inputs()) estimate += TokenEstimator.quick(in);
    TokenGate.reserve(s, x.principal, estimate).onComplete(ar -> {
      if (ar.failed()) {
        ApiError e = ApiError.from(ar.cause());
        x.errorCode = e.code();
        Responses.sendOpenAiError(x.resp, e, x.requestId);
        return;
      }
      dispatch(x, parsed, ar.result());
    });
  }

  /** Routes and answers; {@code tokens} is settled to the reported usage when the call succeeds. */
  private void dispatch(ClientExchange x, EmbeddingsRequests.Parsed parsed, TokenRateLimiter.Admitted tokens) {
    var rr = parsed.toRouteRequest(x.requestId, Strategies.fromHeader(x.req.getHeader("x-sales-agent-strategy")),
        x.principal.keyId());
    EmbeddingCall call;
    try (TraceScope t = x.span.makeCurrent()) { // the request's span is the parent of its attempts' spans
      call = s.router().startEmbed(rr);
    }
    // A client that goes away stops the upstream call, as for chat: nobody would read the vectors we paid for.
    x.onClose(() -> {
      if (!x.resp.ended()) call.cancel();
    });
    if (x.resp.closed()) call.cancel();
    call.result().onComplete(ar -> {
      if (ar.failed()) {
        ApiError e = ApiError.from(ar.cause());
        x.errorCode = e.code();
        x.attempts = e.attempts().size();
        if (x.resp.closed()) return;
        Responses.sendOpenAiError(x.resp, e, x.requestId);
        return;
      }
      RoutedEmbeddings r = ar.result();
      tokens.settle(TokenGate.used(r.response().usage()));
      x.provider = r.response().provider();
      x.attempts = r.attempts().size();
      if (x.resp.closed()) return;
      x.resp.putHeader("x-sales-agent-provider", r.response().provider())
          .putHeader("x-sales-agent-attempts", Integer.toString(r.attempts().size()))
          .putHeader("x-sales-agent-attempt-list", Responses.attemptList(r.attempts()))
          .putHeader("x-sales-agent-cost-usd", Money.usd(r.costUsd()));
      if (r.task() != null) x.resp.putHeader("x-sales-agent-task", r.task());
      Responses.json(x.resp, 200, EmbeddingsResponses.list(r, parsed.base64()));
    });
  }
}
