package dev.salesagent.router.routing;

import dev.salesagent.router.embedding.EmbeddingResponse;
import dev.salesagent.router.model.Attempt;
import java.util.List;

/**
 * The router's embeddings answer: the provider's vectors plus how they were obtained.
 *
 * @param costUsd  the cost of every attempt of this request
 * @param attempts every attempt, oldest first, the successful one last
 */
public record RoutedEmbeddings(String requestId, EmbeddingResponse response, String task, double costUsd, List<Attempt> attempts) {

  public RoutedEmbeddings {
    attempts = List.copyOf(attempts);
  }
}
