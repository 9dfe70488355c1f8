package dev.salesagent.router.wire;

import dev.salesagent.router.model.Usage;
import java.util.List;

/**
 * A 2xx embeddings body as a protocol parsed it: the vectors in input order and the reported usage, or what was
 * wrong with it ({@code failure}, then nothing else counts).
 */
public record EmbeddingAnswer(List<float[]> vectors, Usage usage, WireFailure failure) {

  public static EmbeddingAnswer of(List<float[]> vectors, Usage usage) {
    return new EmbeddingAnswer(vectors, usage, null);
  }

  public static EmbeddingAnswer failed(WireFailure f) {
    return new EmbeddingAnswer(List.of(), Usage.UNKNOWN, f);
  }

  /** An answer that is not what the protocol promises: the upstream misbehaved (retryable, fallen back). */
  public static EmbeddingAnswer malformed(String detail) {
    return failed(WireFailure.of(dev.salesagent.router.error.ErrorKind.UPSTREAM_ERROR, "malformed_embeddings", detail));
  }
}
