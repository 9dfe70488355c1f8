package dev.salesagent.router.execution;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.execution.LiveState.ProviderRuntime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * Admission to a provider before a call: a slot in its bulkhead, then its client-side RPM and TPM limits, all inside
 * the request's deadline. Every wait is a Vert.x timer — a blocking Resilience4j wait would stall the event loop.
 */
final class Admission {
  /** The bulkhead is polled: it has no non-blocking wait, and a slot frees within a call's lifetime. */
  private static final long BULKHEAD_POLL_MS = 2;

  private final Vertx vertx;

  Admission(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Completes when the call may go out, holding a bulkhead slot until {@link #release}; fails with {@code overloaded}
   * or {@code rate_limited} when the provider's limits leave no room before the deadline (no slot is then held).
   */
  Future<Void> acquire(ProviderRuntime pr, int tokensNeeded, Deadline deadline) {
    if (pr.bulkhead == null && pr.rpm == null && pr.tpm == null) return Future.succeededFuture();
    Promise<Void> p = Promise.promise();
    acquireBulkhead(pr, tokensNeeded, deadline, p);
    return p.future();
  }

  /** Gives back the bulkhead slot a successful {@link #acquire} took. */
  static void release(ProviderRuntime pr) {
    if (pr.bulkhead != null) pr.bulkhead.onComplete();
  }

  private void acquireBulkhead(ProviderRuntime pr, int tokensNeeded, Deadline deadline, Promise<Void> p) {
    if (pr.bulkhead != null && !pr.bulkhead.tryAcquirePermission()) {
      if (deadline.remainingMs() <= 5) {
        p.fail(LlmException.of(ErrorKind.OVERLOADED, "concurrency limit of " + pr.name() + " ("
            + pr.config.settings().maxConcurrency() + " calls) stayed full until the deadline"));
        return;
      }
      vertx.setTimer(BULKHEAD_POLL_MS, id -> acquireBulkhead(pr, tokensNeeded, deadline, p));
      return;
    }
    long waitNanos = 0;
    if (pr.rpm != null) {
      long w = pr.rpm.reservePermission();
      if (w < 0) {
        release(pr);
        p.fail(LlmException.of(ErrorKind.RATE_LIMITED, "client-side rpm limit of " + pr.name() + " leaves no slot before the deadline"));
        return;
      }
      waitNanos = w;
    }
    if (pr.tpm != null) {
      long w = pr.tpm.reservePermission(LiveState.tpmPermits(pr, tokensNeeded));
      if (w < 0) {
        release(pr);
        p.fail(LlmException.of(ErrorKind.RATE_LIMITED, "client-side tpm limit of " + pr.name() + " leaves no room before the deadline"));
        return;
      }
      waitNanos = Math.max(waitNanos, w);
    }
    long waitMs = TimeUnit.NANOSECONDS.toMillis(waitNanos);
    if (waitMs >= deadline.remainingMs()) {
      release(pr);
      p.fail(LlmException.of(ErrorKind.RATE_LIMITED, "client-side rate limit of " + pr.name() + " would delay the call "
          + waitMs + " ms, past the deadline"));
      return;
    }
    if (waitMs > 0) vertx.setTimer(waitMs, id -> p.complete());
    else p.complete();
  }
}
