package dev.salesagent.router.embedding;

import dev.salesagent.router.model.Usage;
import java.util.List;

/**
 * One provider's embeddings, in the order of the request's inputs.
 *
 * @param vectors   one float vector per input (float32, as every provider produces them)
 * @param usage     input tokens as reported (output is always 0 for embeddings); {@link Usage#UNKNOWN} when none
 * @param latencyMs from sending the request to the last byte
 */
public record EmbeddingResponse(String provider, String model, List<float[]> vectors, Usage usage, long latencyMs) {

  public EmbeddingResponse {
    vectors = List.copyOf(vectors);
    usage = usage == null ? Usage.UNKNOWN : usage;
  }
}
