package dev.salesagent.router.execution;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.resilience.Backoff;
import dev.salesagent.router.strategy.TargetRef;

/** What a request does after an attempt failed: the retry and fallback rules of the error taxonomy, as one decision. */
sealed interface Recovery {

  /** Content already reached the caller: a plain retry would repeat it, so only a continuation elsewhere can help. */
  record Continue() implements Recovery {}

  /** The same target again after {@code delayMs} (full-jitter backoff, at least the Retry-After). */
  record Retry(long delayMs) implements Recovery {}

  /**
   * The next target of the plan. {@code note}, when set, says why for the final error; {@code contextOverflow}: the
   * request did not fit this target's context window, so no target with a window as small is worth trying.
   */
  record Fallback(String note, boolean contextOverflow) implements Recovery {}

  /** The request fails with this attempt's error. */
  record Fail(String note) implements Recovery {}

  static Recovery after(LlmException e, TargetRef t, int retryNo, boolean delivered, int maxRetries, long remainingMs,
                        Backoff backoff) {
    ErrorKind k = e.kind();
    if (delivered) {
      // whatever the next target could take over (a cut or stalled stream among them) it can continue
      return e.fallbackable() ? new Continue() : new Fail(null);
    }
    if (k.retryable() && retryNo < maxRetries) {
      if (e.retryAfter() != null && e.retryAfter().toMillis() >= remainingMs) {
        // waiting would only end at the deadline: give up on this target at once
        String note = t + ": Retry-After " + e.retryAfter().toSeconds() + " s is past the deadline";
        return e.fallbackable() ? new Fallback(note, false) : new Fail(note);
      }
      long delay = backoff.delayMs(retryNo + 1, e.retryAfter());
      if (delay < remainingMs) return new Retry(delay);
    }
    if (e.fallbackable()) return new Fallback(null, e.contextLengthExceeded());
    return new Fail(null);
  }
}
