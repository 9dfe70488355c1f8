package dev.salesagent.router.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.HttpAdapterSupport;
import dev.salesagent.router.wire.StreamParser;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import java.util.Locale;

/**
 * OpenAI Chat Completions and compatible servers (Cerebras, DeepSeek, Ollama /v1, vLLM, …):
 * {@code POST {base}{prefix}/chat/completions} with {@code Authorization: Bearer} (omitted when there is no key);
 * probe {@code GET {base}{prefix}/models}. Streaming asks for {@code stream_options.include_usage}. For the provider
 * named {@code deepseek} it sends {@code thinking:{type:"disabled"}} (DeepSeek V4 thinks by default).
 */
public final class OpenAiCompatibleAdapter extends HttpAdapterSupport {
  private final boolean disableThinking;

  public OpenAiCompatibleAdapter(Vertx vertx, ProviderSettings settings) {
    super(vertx, settings);
    this.disableThinking = settings.name().toLowerCase(Locale.ROOT).equals("deepseek");
  }

  @Override
  protected String chatUrl() {
    return settings.url("/chat/completions");
  }

  @Override
  protected String probeUrl() {
    return settings.url("/models");
  }

  @Override
  protected void headers(HttpClientRequest req) {
    if (settings.apiKey() != null) req.putHeader("authorization", "Bearer " + settings.apiKey().value());
  }

  @Override
  protected JsonNode requestBody(String model, ChatRequest request, boolean stream) {
    return OpenAiCodec.requestBody(model, request, stream, disableThinking);
  }

  @Override
  protected ChatAccumulator parseBody(String model, ChatRequest request, byte[] body) {
    return OpenAiCodec.parseResponse(body, 0, body.length);
  }

  @Override
  protected StreamParser streamParser(String model, ChatRequest request, Handler<StreamEvent> events) {
    return new OpenAiStreamParser(events, true);
  }
}
