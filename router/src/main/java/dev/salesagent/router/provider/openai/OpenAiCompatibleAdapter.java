package dev.salesagent.router.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.embedding.EmbeddingRequest;
import dev.salesagent.router.wire.EmbeddingAnswer;
import dev.salesagent.router.wire.Endpoint;
import dev.salesagent.router.wire.HttpAdapterSupport;
import dev.salesagent.router.wire.StreamParser;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;

/**
 * OpenAI Chat Completions and compatible servers (Cerebras, Ollama /v1, vLLM, …):
 * {@code POST {base}{prefix}/chat/completions} with {@code Authorization: Bearer} (omitted when there is no key);
 * probe {@code GET {base}{prefix}/models}. Streaming asks for {@code stream_options.include_usage}.
 *
 * <p>Plain OpenAI Chat Completions has no prefill: a trailing assistant message is history and the model answers a
 * new turn, so it is sent as is and only servers that really continue it should have the {@code continuation}
 * capability. A provider with its own rules on this protocol (DeepSeek) extends this adapter from its folder:
 * {@link #chatEndpoint} and {@link #extras} are chosen per request.
 */
public class OpenAiCompatibleAdapter extends HttpAdapterSupport {
  private final Endpoint chat;
  private final Endpoint models;
  private final Endpoint embeddings;

  public OpenAiCompatibleAdapter(Vertx vertx, ProviderSettings settings, ErrorDialect errors) {
    super(vertx, settings, errors);
    this.chat = Endpoint.of(settings.url("/chat/completions"));
    this.models = Endpoint.of(settings.url("/models"));
    this.embeddings = Endpoint.of(settings.url("/embeddings"));
  }

  /** {@code {base}{prefix}/chat/completions} for every request. */
  @Override
  protected Endpoint chatEndpoint(ChatRequest request) {
    return chat;
  }

  @Override
  protected final Endpoint probeEndpoint() {
    return models;
  }

  /** {@code {base}{prefix}/embeddings}, as in OpenAI's SDKs. */
  @Override
  protected Endpoint embeddingEndpoint() {
    return embeddings;
  }

  @Override
  protected Buffer embeddingBody(String model, EmbeddingRequest request) {
    return OpenAiEmbeddings.body(model, request);
  }

  @Override
  protected EmbeddingAnswer parseEmbeddings(byte[] body) {
    return OpenAiEmbeddings.parse(body);
  }

  /** What this provider adds to the body of {@code request}: nothing for plain servers. */
  protected BodyExtras extras(ChatRequest request) {
    return BodyExtras.NONE;
  }

  @Override
  protected final void headers(HttpClientRequest req) {
    if (settings.apiKey() != null) req.putHeader("authorization", "Bearer " + settings.apiKey().value());
  }

  @Override
  protected final JsonNode requestBody(String model, ChatRequest request, boolean stream) {
    return OpenAiCodec.requestBody(model, request, stream, extras(request));
  }

  @Override
  protected final Buffer requestBytes(String model, ChatRequest request, boolean stream) {
    return Buffer.buffer(OpenAiCodec.requestBytes(model, request, stream, extras(request)));
  }

  @Override
  protected final ChatAccumulator parseBody(String model, ChatRequest request, byte[] body) {
    return OpenAiCodec.parseResponse(body, 0, body.length, errors);
  }

  @Override
  protected final StreamParser streamParser(String model, ChatRequest request, Handler<StreamEvent> events) {
    return new OpenAiStreamParser(events, true, errors);
  }
}
