package dev.salesagent.router.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.Endpoint;
import dev.salesagent.router.wire.HttpAdapterSupport;
import dev.salesagent.router.wire.StreamParser;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;

/**
 * Anthropic Messages API: {@code POST {base}{prefix}/messages} (prefix {@code /v1} for the predefined provider),
 * headers {@code x-api-key} and {@code anthropic-version: 2023-06-01}; probe {@code GET {base}{prefix}/models}.
 */
public final class AnthropicAdapter extends HttpAdapterSupport {
  private final Endpoint messages;
  private final Endpoint models;

  public AnthropicAdapter(Vertx vertx, ProviderSettings settings, ErrorDialect errors) {
    super(vertx, settings, errors);
    this.messages = Endpoint.of(settings.url("/messages"));
    this.models = Endpoint.of(settings.url("/models"));
  }

  @Override
  protected Endpoint chatEndpoint(ChatRequest request) {
    return messages;
  }

  @Override
  protected Endpoint probeEndpoint() {
    return models;
  }

  @Override
  protected void headers(HttpClientRequest req) {
    if (settings.apiKey() != null) req.putHeader("x-api-key", settings.apiKey().value());
    req.putHeader("anthropic-version", AnthropicCodec.VERSION);
  }

  @Override
  protected JsonNode requestBody(String model, ChatRequest request, boolean stream) {
    return AnthropicCodec.requestBody(model, request, stream);
  }

  @Override
  protected ChatAccumulator parseBody(String model, ChatRequest request, byte[] body) {
    return AnthropicCodec.parseResponse(body, 0, body.length, AnthropicCodec.jsonToolName(request), errors);
  }

  @Override
  protected StreamParser streamParser(String model, ChatRequest request, Handler<StreamEvent> events) {
    return new AnthropicStreamParser(events, AnthropicCodec.jsonToolName(request), errors);
  }
}
