package dev.salesagent.router.execution;

import dev.salesagent.router.embedding.EmbeddingResponse;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.ChatResponse;

/**
 * How a {@link TargetAttempt} reports its one ending, after it settled its {@link AttemptPermits} and its record in
 * the {@link AttemptLedger}: exactly one of the two methods, once.
 */
interface AttemptListener {

  void attemptSucceeded(TargetAttempt attempt, ChatResponse response);

  void attemptFailed(TargetAttempt attempt, LlmException error);

  /** The success of an embeddings attempt (instead of {@link #attemptSucceeded}). */
  void attemptEmbedded(TargetAttempt attempt, EmbeddingResponse response);
}
