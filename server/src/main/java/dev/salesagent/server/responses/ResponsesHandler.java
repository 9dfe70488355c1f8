package dev.salesagent.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.chat.ChatApiHandler;
import dev.salesagent.server.chat.ParsedChat;
import dev.salesagent.server.chat.RoutedSse;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code POST /v1/responses}: OpenAI's Responses API over the router, stateless — any provider may serve it, so the
 * client sends the whole conversation each turn (see {@link ResponsesRequests}). Auth, budgets, limits, ledger and the
 * {@code x-sales-agent-*} headers are the shared chat flow's; errors use OpenAI's error body.
 */
public final class ResponsesHandler extends ChatApiHandler {

  public ResponsesHandler(GatewayServices s) {
    super(s);
  }

  @Override
  protected boolean acceptsXApiKey() { return false; }

  @Override
  protected String idPrefix() { return "resp_"; }

  @Override
  protected ParsedChat parse(JsonNode root) {
    return ResponsesRequests.parse(root, s.options(), s.catalog());
  }

  @Override
  protected void sendError(HttpServerResponse resp, ApiError e, String requestId) {
    Responses.sendOpenAiError(resp, e, requestId);
  }

  @Override
  protected RoutedSse newStream(ClientExchange x, String id, ParsedChat chat) {
    return new ResponsesSse(x, id, System.currentTimeMillis() / 1000, chat.echo(), chat.requestedModel());
  }

  @Override
  protected Buffer answer(String id, ParsedChat chat, RoutedResponse r) {
    return ResponseObject.whole(id, System.currentTimeMillis() / 1000, chat.echo(), r);
  }
}
