package dev.salesagent.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.compat.litellm.LiteLlmExtras;
import dev.salesagent.router.routing.LlmRouter;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedCall;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.trace.TraceScope;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.Gate;
import dev.salesagent.server.auth.TokenGate;
import dev.salesagent.server.auth.TokenRateLimiter;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.Bodies;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.Log;
import dev.salesagent.server.http.Money;
import dev.salesagent.server.http.RequestIds;
import dev.salesagent.server.http.Responses;
import dev.salesagent.server.http.Strategies;
import dev.salesagent.server.http.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The path every compatible chat API shares: authenticate, read and validate the body, route, then answer — JSON with
 * the {@code x-sales-agent-*} headers, or the dialect's SSE stream. Subclasses say only what differs per dialect:
 * how a body parses, how errors, answers and streams are written.
 */
public abstract class ChatApiHandler implements Handler<HttpServerRequest> {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChatApiHandler.class);
  protected final GatewayServices s;

  protected ChatApiHandler(GatewayServices s) {
    this.s = s;
  }

  /** Whether {@code x-api-key} is accepted besides {@code Authorization: Bearer}. */
  protected abstract boolean acceptsXApiKey();

  /** The prefix of this dialect's response ids ({@code chatcmpl-}, {@code msg_}). */
  protected abstract String idPrefix();

  /** @throws ApiException or IllegalArgumentException for a body that must be refused with 400 */
  protected abstract ParsedChat parse(JsonNode root);

  protected abstract void sendError(HttpServerResponse resp, ApiError e, String requestId);

  protected abstract RoutedSse newStream(ClientExchange x, String id, ParsedChat chat);

  protected abstract Buffer answer(String id, ParsedChat chat, RoutedResponse r);

  /** LiteLLM's per-request extras this dialect's clients send; none by default. */
  protected LiteLlmExtras extras(JsonNode root) {
    return LiteLlmExtras.NONE;
  }

  @Override
  public final void handle(HttpServerRequest req) {
    ClientExchange x = new ClientExchange(req, s.accessLog());
    if (s.tracing().enabled()) x.trace(s.tracing(), "POST " + req.path()); // no span name built when tracing is off
    // The body is read only once the key is admitted: an unauthenticated request never has its body buffered.
    Bodies.readAfter(Gate.admit(x, s, acceptsXApiKey(), false), req, s.options().bodyLimitBytes())
        .onSuccess(b -> {
          try {
            route(x, b);
          } catch (RuntimeException e) {
            Log.error(log, x.requestId, "unexpected failure handling {}", x.req.path(), e);
            x.errorCode = "internal_error";
            sendError(x.resp, ApiError.internal("internal error"), x.requestId);
          }
        })
        .onFailure(t -> {
          ApiError e = ApiError.from(t);
          x.errorCode = e.code();
          Bodies.abandon(req);
          sendError(x.resp, e, x.requestId);
        });
  }

  private void route(ClientExchange x, Buffer body) {
    ParsedChat chat;
    RouteRequest rr;
    LiteLlmExtras extras;
    try {
      JsonNode root = StrictJson.parse(body);
      if (root == null) throw ApiException.invalid(null, "the body is not valid JSON (one JSON object, nothing after it)");
      chat = parse(root);
      if (chat.chat().hasParts()) ToolTurns.check(chat.chat().messages());
      extras = extras(root);
      rr = chat.toRouteRequest(x.requestId, Strategies.fromHeader(x.req.getHeader("x-sales-agent-strategy")),
          x.principal.keyId());
    } catch (ApiException e) {
      x.errorCode = e.error().code();
      sendError(x.resp, e.error(), x.requestId);
      return;
    } catch (IllegalArgumentException e) {
      x.errorCode = "invalid_request";
      sendError(x.resp, ApiError.invalid(null, e.getMessage()), x.requestId);
      return;
    }
    x.model = chat.requestedModel();
    x.stream = chat.stream();
    if (x.principal.tpm() == null) {
      dispatch(x, chat, rr, extras, TokenGate.UNLIMITED);
      return;
    }
    TokenGate.reserve(s, x.principal, TokenGate.estimate(rr.chat())).onComplete(ar -> {
      if (ar.failed()) {
        ApiError e = ApiError.from(ar.cause());
        x.errorCode = e.code();
        sendError(x.resp, e, x.requestId);
        return;
      }
      try {
        dispatch(x, chat, rr, extras, ar.result());
      } catch (RuntimeException e) {
        ar.result().settle(0); // nothing was called
        Log.error(log, x.requestId, "unexpected failure handling {}", x.req.path(), e);
        x.errorCode = "internal_error";
        sendError(x.resp, ApiError.internal("internal error"), x.requestId);
      }
    });
  }

  /** Routes and answers a parsed call; {@code tokens} is settled to the reported usage when it succeeds. */
  private void dispatch(ClientExchange x, ParsedChat chat, RouteRequest rr, LiteLlmExtras extras,
                        TokenRateLimiter.Admitted tokens) {
    LlmRouter router = s.router();
    if (extras != LiteLlmExtras.NONE) {
      if (extras.ignored() != null) x.resp.putHeader(LiteLlmExtras.IGNORED_HEADER, extras.ignored());
      if (extras.mockResponse() != null) router = new MockAnswer(extras.mockResponse(), chat.requestedModel());
    }
    String id = RequestIds.newId(idPrefix());
    if (chat.stream()) {
      RoutedSse sse = newStream(x, id, chat);
      RoutedCall call;
      try (TraceScope t = x.span.makeCurrent()) { // the request's span is the parent of its attempts' spans
        call = router.startStream(rr, sse);
      }
      sse.bind(call);
      call.result().onComplete(ar -> {
        if (ar.succeeded()) tokens.settle(TokenGate.used(ar.result().response().usage()));
        if (ar.succeeded()) sse.finish(ar.result()); else sse.fail(ar.cause());
      });
      return;
    }
    RoutedCall call;
    try (TraceScope t = x.span.makeCurrent()) {
      call = router.startChat(rr);
    }
    // A client that goes away stops the upstream call: nobody would read the answer we kept paying for.
    x.onClose(() -> {
      if (!x.resp.ended()) call.cancel();
    });
    if (x.resp.closed()) call.cancel(); // gone while the body was read, before there was a call to stop
    call.result().onComplete(ar -> {
      if (ar.failed()) {
        ApiError e = ApiError.from(ar.cause());
        x.errorCode = e.code();
        x.attempts = e.attempts().size();
        if (x.resp.closed()) return; // the client is gone (it may be why the call failed: cancelled)
        sendError(x.resp, e, x.requestId);
        return;
      }
      RoutedResponse r = ar.result();
      tokens.settle(TokenGate.used(r.response().usage()));
      x.provider = r.response().provider();
      x.attempts = r.attempts().size();
      if (x.resp.closed()) return;
      x.resp.putHeader("x-sales-agent-provider", r.response().provider())
          .putHeader("x-sales-agent-attempts", Integer.toString(r.attempts().size()))
          .putHeader("x-sales-agent-attempt-list", Responses.attemptList(r.attempts()))
          .putHeader("x-sales-agent-cost-usd", Money.usd(r.costUsd()));
      if (r.task() != null) x.resp.putHeader("x-sales-agent-task", r.task());
      Responses.json(x.resp, 200, answer(id, chat, r));
    });
  }
}
