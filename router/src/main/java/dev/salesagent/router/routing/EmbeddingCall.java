package dev.salesagent.router.routing;

import io.vertx.core.Future;

/** A routed embeddings call that can be stopped, as {@link RoutedCall} is for chat. */
public interface EmbeddingCall {

  /** Completes like {@link LlmRouter#embed}; fails with kind {@code interrupted} after {@link #cancel()}. */
  Future<RoutedEmbeddings> result();

  /** The caller is gone: stops the attempt in flight and any retry or fallback still to come ({@link RoutedCall#cancel()}). */
  void cancel();

  /** A call that cannot be stopped early. */
  static EmbeddingCall of(Future<RoutedEmbeddings> result) {
    return new EmbeddingCall() {
      @Override public Future<RoutedEmbeddings> result() { return result; }
      @Override public void cancel() { }
    };
  }
}
