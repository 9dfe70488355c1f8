package dev.salesagent.router.provider;

import dev.salesagent.router.embedding.EmbeddingRequest;
import dev.salesagent.router.embedding.EmbeddingResponse;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.StreamEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * One provider's wire protocol. Implementations live in {@code router/provider/<protocol>/} and nothing outside that
 * package knows a provider's field names. Every method is non-blocking; failures are always an
 * {@link dev.salesagent.router.error.LlmException} with provider and model set.
 */
public interface ProviderAdapter extends AutoCloseable {

  /** The configured provider name ({@code anthropic}, {@code cerebras}, …). */
  String name();

  ProviderSettings settings();

  /** A non-streaming call. */
  Future<ChatResponse> chat(String model, ChatRequest request, CallContext ctx);

  /**
   * A streaming call. The future completes once the upstream answered 200 and the body started (or fails with the
   * mapped error of a non-200 answer); from then on {@code events} receives content in order and
   * {@link ChatStream#result()} tells how the stream ended.
   */
  Future<ChatStream> stream(String model, ChatRequest request, CallContext ctx, Handler<StreamEvent> events);

  /**
   * Embeddings of {@code request.inputs()}, in order. A protocol without an embeddings endpoint fails with
   * {@code not_found} (fallen back like a missing model).
   */
  default Future<EmbeddingResponse> embed(String model, EmbeddingRequest request, CallContext ctx) {
    return Future.failedFuture(LlmException.builder(ErrorKind.NOT_FOUND,
        "provider '" + name() + "' has no embeddings endpoint").provider(name()).model(model).build());
  }

  /** A cheap liveness probe (Ollama {@code /api/tags}, OpenAI-style {@code /models}, Anthropic {@code /v1/models}). */
  Future<ProbeResult> probe(CallContext ctx);

  @Override
  void close();
}
