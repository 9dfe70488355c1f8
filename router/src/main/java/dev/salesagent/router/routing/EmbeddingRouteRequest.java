package dev.salesagent.router.routing;

import dev.salesagent.router.embedding.EmbeddingRequest;
import java.util.Objects;

/**
 * An embeddings request to the router: what to embed plus how to route it, as {@link RouteRequest} for chat.
 *
 * @param task     a task whose chain holds embedding models; {@code null} or {@code auto} = {@code embedding}
 * @param strategy {@code task|cost|latency}, {@code null} = configured default
 * @param provider pin to one provider, {@code null} = route
 * @param model    pin to one model id (with or without provider), {@code null} = route
 * @param apiKeyId the caller's key id for per-key budgets and the ledger, {@code null} for the CLI
 */
public record EmbeddingRouteRequest(
    String requestId,
    EmbeddingRequest embedding,
    String task,
    String strategy,
    String provider,
    String model,
    String apiKeyId) {

  /** The predefined task of embedding requests that name none. */
  public static final String DEFAULT_TASK = "embedding";

  public EmbeddingRouteRequest {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(embedding, "embedding");
  }
}
