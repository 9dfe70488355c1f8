package dev.salesagent.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.compat.litellm.LiteLlmExtras;
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
 * {@code POST /v1/chat/completions}: authenticate, read and validate the body, route, answer in OpenAI's format —
 * JSON, or SSE chunks when {@code stream} is true. Response headers: {@code x-request-id},
 * {@code x-sales-agent-provider}; non-streaming answers also carry {@code x-sales-agent-attempts} (the number of
 * attempts), {@code x-sales-agent-attempt-list} ({@code provider/model=outcome, …}), {@code x-sales-agent-cost-usd}
 * and {@code x-sales-agent-task}. A stream's cost and attempts travel in its last chunks (headers are gone by then).
 */
public final class ChatCompletionsHandler extends ChatApiHandler {

  public ChatCompletionsHandler(GatewayServices s) {
    super(s);
  }

  @Override
  protected boolean acceptsXApiKey() { return false; }

  @Override
  protected String idPrefix() { return "chatcmpl-"; }

  @Override
  protected ParsedChat parse(JsonNode root) {
    return OpenAiRequests.parse(root, s.options(), s.catalog());
  }

  /** LiteLLM clients send its extras here: honoured (mock_response) or named in a response header, never a 400. */
  @Override
  protected LiteLlmExtras extras(JsonNode root) {
    return LiteLlmExtras.read(root);
  }

  @Override
  protected void sendError(HttpServerResponse resp, ApiError e, String requestId) {
    Responses.sendOpenAiError(resp, e, requestId);
  }

  @Override
  protected RoutedSse newStream(ClientExchange x, String id, ParsedChat chat) {
    return new OpenAiSse(x, id, System.currentTimeMillis() / 1000, chat.includeUsage(), chat.requestedModel());
  }

  @Override
  protected Buffer answer(String id, ParsedChat chat, RoutedResponse r) {
    return OpenAiResponses.completion(id, System.currentTimeMillis() / 1000, r);
  }
}
