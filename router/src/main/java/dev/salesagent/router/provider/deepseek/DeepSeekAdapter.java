package dev.salesagent.router.provider.deepseek;

import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.openai.BodyExtras;
import dev.salesagent.router.provider.openai.OpenAiCodec;
import dev.salesagent.router.provider.openai.OpenAiCompatibleAdapter;
import dev.salesagent.router.wire.Endpoint;
import io.vertx.core.Vertx;

/**
 * DeepSeek on OpenAI Chat Completions, with its two differences, chosen per request:
 * <ul>
 *   <li><b>Continuation</b> (a request ending in an assistant message, the router's partial answer): DeepSeek continues
 *       a prefix only through its Chat Prefix Completion (Beta) — the last message carries {@code "prefix": true} and
 *       the request goes to the beta root ({@link DeepSeekProvider#prefixCompletionUrl}); the normal endpoint refuses
 *       {@code prefix} with 400. Every other request keeps {@code {base}{prefix}/chat/completions} and no flag. Both
 *       URLs are parsed once, here; both go through the same pooled clients.</li>
 *   <li><b>Thinking</b>: DeepSeek V4 thinks by default; the provider named {@code deepseek} sends
 *       {@code thinking:{type:"disabled"}} (one found by its host alone keeps the server's default), and every one
 *       sends {@code thinking:{type:"enabled"}} when the caller asked for thinking.</li>
 * </ul>
 */
final class DeepSeekAdapter extends OpenAiCompatibleAdapter {
  private final Endpoint prefixCompletion;
  /** The extras of an ordinary request and of a continuation. */
  private final BodyExtras plain;
  private final BodyExtras continuation;

  DeepSeekAdapter(Vertx vertx, ProviderSettings settings, ErrorDialect errors) {
    super(vertx, settings, errors);
    this.prefixCompletion = Endpoint.of(DeepSeekProvider.prefixCompletionUrl(settings));
    boolean thinkingOff = DeepSeekProvider.namedDeepSeek(settings);
    this.plain = DeepSeekBody.of(thinkingOff, false);
    this.continuation = DeepSeekBody.of(thinkingOff, true);
  }

  @Override
  protected Endpoint chatEndpoint(ChatRequest request) {
    return OpenAiCodec.endsWithAssistant(request) ? prefixCompletion : super.chatEndpoint(request);
  }

  @Override
  protected BodyExtras extras(ChatRequest request) {
    boolean prefix = OpenAiCodec.endsWithAssistant(request);
    if (request.thinking() != null) return DeepSeekBody.thinking(prefix);
    return prefix ? continuation : plain;
  }
}
