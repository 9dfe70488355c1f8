package dev.salesagent.router.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.embedding.EmbeddingRequest;
import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.EmbeddingAnswer;
import dev.salesagent.router.wire.Endpoint;
import dev.salesagent.router.wire.HttpAdapterSupport;
import dev.salesagent.router.wire.StreamParser;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;

/**
 * Ollama native API: {@code POST {base}{prefix}/api/chat} (embeddings {@code /api/embed}) with an explicit {@code "stream": true|false}, NDJSON
 * streaming; probe {@code GET {base}{prefix}/api/tags}. A key, when configured (Ollama cloud), goes as Bearer.
 */
public final class OllamaAdapter extends HttpAdapterSupport {
  private final Endpoint chat;
  private final Endpoint tags;
  private final Endpoint embed;

  public OllamaAdapter(Vertx vertx, ProviderSettings settings, ErrorDialect errors) {
    super(vertx, settings, errors);
    this.chat = Endpoint.of(settings.url("/api/chat"));
    this.tags = Endpoint.of(settings.url("/api/tags"));
    this.embed = Endpoint.of(settings.url("/api/embed"));
  }

  @Override
  protected Endpoint chatEndpoint(ChatRequest request) {
    return chat;
  }

  @Override
  protected Endpoint probeEndpoint() {
    return tags;
  }

  @Override
  protected Endpoint embeddingEndpoint() {
    return embed;
  }

  @Override
  protected Buffer embeddingBody(String model, EmbeddingRequest request) {
    return OllamaEmbeddings.body(model, request);
  }

  @Override
  protected EmbeddingAnswer parseEmbeddings(byte[] body) {
    return OllamaEmbeddings.parse(body, errors);
  }

  @Override
  protected String streamAccept() {
    return "application/x-ndjson";
  }

  @Override
  protected void headers(HttpClientRequest req) {
    if (settings.apiKey() != null) req.putHeader("authorization", "Bearer " + settings.apiKey().value());
  }

  @Override
  protected JsonNode requestBody(String model, ChatRequest request, boolean stream) {
    return OllamaCodec.requestBody(model, request, stream);
  }

  @Override
  protected ChatAccumulator parseBody(String model, ChatRequest request, byte[] body) {
    return OllamaCodec.parseResponse(body, 0, body.length, errors);
  }

  @Override
  protected StreamParser streamParser(String model, ChatRequest request, Handler<StreamEvent> events) {
    return new OllamaStreamParser(events, errors);
  }
}
