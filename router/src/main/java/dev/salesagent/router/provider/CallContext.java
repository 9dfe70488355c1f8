package dev.salesagent.router.provider;

import java.util.concurrent.TimeUnit;

/**
 * Per-call limits handed to an adapter.
 *
 * @param requestId       our request id, sent upstream nowhere but used in errors and logs
 * @param deadlineNanos   {@link System#nanoTime()} value after which the call must have failed with {@code timeout}
 * @param firstTokenMs    max wait for response headers and, when streaming, for the first content event
 * @param idleMs          max silence between two stream reads once content flows
 * @param abortHook       told once the request is going upstream, with how to stop it ({@link AbortHook#NONE}: nobody will)
 */
public record CallContext(String requestId, long deadlineNanos, long firstTokenMs, long idleMs, AbortHook abortHook) {

  public CallContext {
    if (abortHook == null) abortHook = AbortHook.NONE;
  }

  /** A call nobody abandons early. */
  public CallContext(String requestId, long deadlineNanos, long firstTokenMs, long idleMs) {
    this(requestId, deadlineNanos, firstTokenMs, idleMs, AbortHook.NONE);
  }

  public static CallContext withTimeout(String requestId, long totalMs, long firstTokenMs, long idleMs) {
    return new CallContext(requestId, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(totalMs), firstTokenMs, idleMs);
  }

  /** Milliseconds left before the deadline, never negative. */
  public long remainingMs() {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  public boolean expired() {
    return System.nanoTime() - deadlineNanos >= 0;
  }
}
