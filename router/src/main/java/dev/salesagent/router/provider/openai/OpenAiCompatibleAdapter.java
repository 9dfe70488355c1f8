package dev.salesagent.router.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.provider.CallContext;
import dev.salesagent.router.provider.ChatStream;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.HttpAdapterSupport;
import dev.salesagent.router.wire.StreamParser;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import java.net.URI;
import java.util.Locale;

/**
 * OpenAI Chat Completions and compatible servers (Cerebras, DeepSeek, Ollama /v1, vLLM, …):
 * {@code POST {base}{prefix}/chat/completions} with {@code Authorization: Bearer} (omitted when there is no key);
 * probe {@code GET {base}{prefix}/models}. Streaming asks for {@code stream_options.include_usage}. For the provider
 * named {@code deepseek} it sends {@code thinking:{type:"disabled"}} (DeepSeek V4 thinks by default).
 *
 * <p><b>Continuation (a trailing assistant message).</b> Plain OpenAI Chat Completions has no prefill: a trailing
 * assistant message is history and the model answers a new turn, so it is sent as is and only servers that really
 * continue it should have the {@code continuation} capability. DeepSeek continues an assistant prefix only through
 * its Chat Prefix Completion (Beta): the last message carries {@code "prefix": true} and the request goes to the beta
 * root ({@code https://api.deepseek.com/beta/chat/completions}); the normal endpoint refuses {@code prefix} with 400.
 * So for DeepSeek — provider name {@code deepseek} or a base URL on a {@code deepseek.com} host — a request whose last
 * message is an assistant message is sent to {@link #prefixCompletionUrl} with the flag; every other request, and
 * every request to other providers, is unchanged. The beta calls use a second client (own keep-alive pool) because
 * {@link HttpAdapterSupport} has one chat URL per instance; continuations are rare, so it mostly stays idle.
 */
public final class OpenAiCompatibleAdapter extends HttpAdapterSupport {
  private final boolean disableThinking;
  private final String chatUrl;
  /** Send {@code "prefix": true} on a trailing assistant message (this instance talks to DeepSeek's beta root). */
  private final boolean prefixCompletion;
  /** DeepSeek's beta endpoint for continuations; {@code null} for other providers or when the base already is beta. */
  private final OpenAiCompatibleAdapter beta;

  public OpenAiCompatibleAdapter(Vertx vertx, ProviderSettings settings) {
    this(vertx, settings, false);
  }

  private OpenAiCompatibleAdapter(Vertx vertx, ProviderSettings settings, boolean betaEndpoint) {
    super(vertx, settings);
    this.disableThinking = settings.name().toLowerCase(Locale.ROOT).equals("deepseek");
    String normal = settings.url("/chat/completions");
    if (!isDeepSeek(settings)) {
      this.chatUrl = normal;
      this.prefixCompletion = false;
      this.beta = null;
    } else {
      String prefixUrl = prefixCompletionUrl(settings);
      this.chatUrl = betaEndpoint ? prefixUrl : normal;
      this.prefixCompletion = chatUrl.equals(prefixUrl);
      this.beta = prefixCompletion ? null : new OpenAiCompatibleAdapter(vertx, settings, true);
    }
  }

  /** DeepSeek: the provider is named {@code deepseek}, or its base URL is on {@code deepseek.com} (any subdomain). */
  public static boolean isDeepSeek(ProviderSettings settings) {
    if (settings.name().toLowerCase(Locale.ROOT).equals("deepseek")) return true;
    try {
      String host = URI.create(settings.baseUrl()).getHost();
      if (host == null) return false;
      host = host.toLowerCase(Locale.ROOT);
      return host.equals("deepseek.com") || host.endsWith(".deepseek.com");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * DeepSeek's Chat Prefix Completion URL. The API root is {@code baseUrl + apiPrefix} (where {@code /chat/completions}
   * would go); the beta root replaces a trailing {@code /v1} and is appended otherwise; a root already ending in
   * {@code /beta} is kept: {@code https://api.deepseek.com} and {@code https://api.deepseek.com/v1} →
   * {@code https://api.deepseek.com/beta/chat/completions}; the emulator's {@code http://127.0.0.1:P/openai/v1} and
   * {@code http://127.0.0.1:P/openai} → {@code http://127.0.0.1:P/openai/beta/chat/completions}.
   */
  public static String prefixCompletionUrl(ProviderSettings settings) {
    String root = settings.url("");
    if (!root.endsWith("/beta")) {
      if (root.endsWith("/v1")) root = root.substring(0, root.length() - "/v1".length());
      root += "/beta";
    }
    return root + "/chat/completions";
  }

  @Override
  public Future<ChatResponse> chat(String model, ChatRequest request, CallContext ctx) {
    if (beta != null && OpenAiCodec.endsWithAssistant(request)) return beta.chat(model, request, ctx);
    return super.chat(model, request, ctx);
  }

  @Override
  public Future<ChatStream> stream(String model, ChatRequest request, CallContext ctx, Handler<StreamEvent> events) {
    if (beta != null && OpenAiCodec.endsWithAssistant(request)) return beta.stream(model, request, ctx, events);
    return super.stream(model, request, ctx, events);
  }

  @Override
  public void close() {
    try {
      super.close();
    } finally {
      if (beta != null) beta.close();
    }
  }

  @Override
  protected String chatUrl() {
    return chatUrl;
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
    return OpenAiCodec.requestBody(model, request, stream, disableThinking, prefixCompletion);
  }

  @Override
  protected Buffer requestBytes(String model, ChatRequest request, boolean stream) {
    return Buffer.buffer(OpenAiCodec.requestBytes(model, request, stream, disableThinking, prefixCompletion));
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
