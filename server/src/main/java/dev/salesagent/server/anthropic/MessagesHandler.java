package dev.salesagent.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.Responses;
import dev.salesagent.server.chat.ChatApiHandler;
import dev.salesagent.server.chat.ParsedChat;
import dev.salesagent.server.chat.RoutedSse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code POST /v1/messages}: Anthropic's Messages API over the router, so a Claude client may be served by any
 * provider (a fallback to DeepSeek answers in Anthropic's format, usage included). {@code x-api-key} is accepted as
 * well as {@code Authorization: Bearer}. Same {@code x-sales-agent-*} headers as chat completions.
 */
public final class MessagesHandler extends ChatApiHandler {

  public MessagesHandler(GatewayServices s) {
    super(s);
  }

  @Override
  protected boolean acceptsXApiKey() { return true; }

  @Override
  protected String idPrefix() { return "msg_"; }

  @Override
  protected ParsedChat parse(JsonNode root) {
    return AnthropicRequests.parse(root, s.options(), s.catalog());
  }

  @Override
  protected void sendError(HttpServerResponse resp, ApiError e, String requestId) {
    Responses.sendAnthropicError(resp, e, requestId);
  }

  @Override
  protected RoutedSse newStream(ClientExchange x, String id, ParsedChat chat) {
    return new AnthropicSse(x, id, chat.requestedModel(), chat.chat().thinking() != null);
  }

  @Override
  protected Buffer answer(String id, ParsedChat chat, RoutedResponse r) {
    return AnthropicResponses.message(id, r, chat.chat().thinking() != null);
  }
}
