package dev.salesagent.server.auth;

import io.vertx.core.Future;

/**
 * Admits or refuses one API call of a key under its tokens-per-minute limit, with the guarantee {@link RateLimiter}
 * keeps for requests: no 60-second window, wherever it starts, holds more than {@code tpm} tokens counted at admission
 * (a sliding window over the admitted calls' token counts, not a fixed minute, not a bucket). A call is counted at its
 * estimate (prompt estimate plus {@code max_tokens} or the model's default output estimate) and settled to the tokens
 * the provider reported when it ends; a failed call keeps its estimate. Only a settlement above the estimate can push a
 * window past {@code tpm}, and then by at most that call's excess.
 *
 * <ul>
 *   <li>refused: {@link RateDecision.Refused#retryAfterSeconds()} is the whole seconds until enough of the oldest
 *       counted calls leave the window for this one to fit (rounded up, at least 1); a refused call is not counted;</li>
 *   <li>the caller refuses a call whose estimate alone exceeds {@code tpm} without asking (no wait would help);</li>
 *   <li>never blocks: the answer is a future (completed at once when the count is local).</li>
 * </ul>
 */
public interface TokenRateLimiter {

  /**
   * Counts {@code tokens} for {@code keyId} if they fit under {@code tpm}.
   *
   * @param tokens the call's estimate, from 1 to {@code tpm}
   */
  Future<Decision> reserve(String keyId, int tpm, long tokens);

  /** What the limiter said: admitted with a way to settle the count, or refused. */
  sealed interface Decision permits Admitted, Refused {}

  /** Counted; {@link #settle} replaces the estimate with the reported tokens (once, when the call ends). */
  non-sealed interface Admitted extends Decision {
    void settle(long actualTokens);
  }

  /** Not counted. @param retryAfterSeconds whole seconds until the call fits (at least 1) */
  record Refused(long retryAfterSeconds) implements Decision {
    public Refused {
      if (retryAfterSeconds < 1) throw new IllegalArgumentException("retryAfterSeconds must be at least 1: " + retryAfterSeconds);
    }
  }
}
