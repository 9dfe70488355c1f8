package dev.salesagent.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.wire.Json;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.Gate;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.Bodies;
import dev.salesagent.server.http.Exchange;
import dev.salesagent.server.http.Log;
import dev.salesagent.server.http.Money;
import dev.salesagent.server.http.RequestIds;
import dev.salesagent.server.http.Responses;
import dev.salesagent.server.http.Strategies;
import dev.salesagent.server.routing.ParsedChat;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /v1/chat/completions}: authenticate, read and validate the body, route, answer in OpenAI's format —
 * JSON, or SSE chunks when {@code stream} is true. Response headers: {@code x-request-id},
 * {@code x-sales-agent-provider}; non-streaming answers also carry {@code x-sales-agent-attempts} (the number of
 * attempts), {@code x-sales-agent-attempt-list} ({@code provider/model=outcome, …}), {@code x-sales-agent-cost-usd}
 * and {@code x-sales-agent-task}. A stream's cost and attempts travel in its last chunks (headers are gone by then).
 */
public final class ChatCompletionsHandler implements Handler<HttpServerRequest> {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChatCompletionsHandler.class);
  private final GatewayServices s;

  public ChatCompletionsHandler(GatewayServices s) {
    this.s = s;
  }

  @Override
  public void handle(HttpServerRequest req) {
    Exchange x = new Exchange(req, s.options().accessLog());
    Future<Buffer> body = Bodies.read(req, s.options().bodyLimitBytes());
    Gate.admit(x, s, false, false)
        .compose(p -> body)
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
          Responses.sendOpenAiError(x.resp, e, x.requestId);
        });
  }

  private void route(Exchange x, Buffer body) {
    ParsedChat chat;
    RouteRequest rr;
    try {
      JsonNode root = Json.parse(body);
      if (root == null) throw ApiException.invalid(null, "the body is not valid JSON");
      chat = OpenAiRequests.parse(root, s.options(), s.catalog());
      rr = chat.toRouteRequest(x.requestId, Strategies.fromHeader(x.req.getHeader("x-sales-agent-strategy")),
          x.principal.keyId());
    } catch (ApiException e) {
      x.errorCode = e.error().code();
      Responses.sendOpenAiError(x.resp, e.error(), x.requestId);
      return;
    } catch (IllegalArgumentException e) {
      x.errorCode = "invalid_request";
      Responses.sendOpenAiError(x.resp, ApiError.invalid(null, e.getMessage()), x.requestId);
      return;
    }
    x.model = chat.requestedModel();
    x.stream = chat.stream();
    String id = RequestIds.newId("chatcmpl-");
    long created = System.currentTimeMillis() / 1000;
    if (chat.stream()) {
      OpenAiSse sse = new OpenAiSse(x, id, created, chat.includeUsage(), chat.requestedModel());
      s.router().stream(rr, sse).onComplete(ar -> {
        if (ar.succeeded()) sse.finish(ar.result()); else sse.fail(ar.cause());
      });
    } else {
      s.router().chat(rr).onComplete(ar -> {
        if (ar.failed()) {
          ApiError e = ApiError.from(ar.cause());
          x.errorCode = e.code();
          x.attempts = e.attempts().size();
          Responses.sendOpenAiError(x.resp, e, x.requestId);
          return;
        }
        RoutedResponse r = ar.result();
        x.provider = r.response().provider();
        x.attempts = r.attempts().size();
        if (x.resp.closed()) return;
        x.resp.putHeader("x-sales-agent-provider", r.response().provider())
            .putHeader("x-sales-agent-attempts", Integer.toString(r.attempts().size()))
            .putHeader("x-sales-agent-attempt-list", Responses.attemptList(r.attempts()))
            .putHeader("x-sales-agent-cost-usd", Money.usd(r.costUsd()));
        if (r.task() != null) x.resp.putHeader("x-sales-agent-task", r.task());
        Responses.json(x.resp, 200, OpenAiResponses.completion(id, created, r));
      });
    }
  }
}
