package dev.salesagent.router.execution;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.strategy.TargetRef;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * The timers that keep one attempt inside its limits: the request's deadline, the first token and the idle gap
 * between stream events. Adapters enforce the same limits (they get them in the call context); these are the backstop
 * for one that does not, so each fires a little slack after its limit and the adapter's own, better error normally wins.
 */
final class AttemptGuards {
  private static final long SLACK_MS = 250;

  private final Vertx vertx;
  private final TargetAttempt attempt;
  private final TargetRef t;
  private long lastEventNanos = System.nanoTime();
  private long deadlineTimer = -1;
  private long firstTokenTimer = -1;
  private long idleTimer = -1;
  private long cancelTimer = -1;

  AttemptGuards(Vertx vertx, TargetAttempt attempt) {
    this.vertx = vertx;
    this.attempt = attempt;
    this.t = attempt.target();
  }

  void armDeadline(long remainingMs) {
    deadlineTimer = vertx.setTimer(remainingMs + SLACK_MS, id -> {
      deadlineTimer = -1;
      attempt.abort(LlmException.builder(ErrorKind.TIMEOUT, "no answer from " + t + " before the request's deadline")
          .provider(t.providerName()).model(t.model()).build());
    });
  }

  void armFirstToken(long ms, long remainingMs) {
    firstTokenTimer = vertx.setTimer(Math.max(1, Math.min(ms + SLACK_MS, remainingMs + SLACK_MS)), id -> {
      firstTokenTimer = -1;
      if (!attempt.hasContent()) {
        attempt.abort(LlmException.builder(ErrorKind.TIMEOUT, "no first token from " + t + " within " + ms + " ms")
            .provider(t.providerName()).model(t.model()).build());
      }
    });
  }

  /** A paused observer is not a stalled upstream: while paused the silence does not count. */
  void armIdle(long idleMs, StreamRelay relay) {
    long period = Math.max(20, idleMs / 4);
    idleTimer = vertx.setPeriodic(period, id -> {
      if (attempt.isDone()) {
        vertx.cancelTimer(id);
        return;
      }
      if (relay.paused()) {
        lastEventNanos = System.nanoTime();
        return;
      }
      if (attempt.hasContent() && System.nanoTime() - lastEventNanos > TimeUnit.MILLISECONDS.toNanos(idleMs + SLACK_MS)) {
        attempt.abort(LlmException.builder(ErrorKind.INTERRUPTED, "stream from " + t + " stalled: silent for more than " + idleMs + " ms")
            .provider(t.providerName()).model(t.model()).build());
      }
    });
  }

  /** After a cancel, in case the cancelled stream's result never settles. */
  void armCancelled(Runnable settle) {
    cancelTimer = vertx.setTimer(SLACK_MS, id -> {
      cancelTimer = -1;
      settle.run();
    });
  }

  /** Any event, content or not, shows the stream is alive. */
  void eventArrived() {
    lastEventNanos = System.nanoTime();
  }

  void firstTokenArrived() {
    if (firstTokenTimer >= 0) {
      vertx.cancelTimer(firstTokenTimer);
      firstTokenTimer = -1;
    }
  }

  void cancel() {
    if (deadlineTimer >= 0) vertx.cancelTimer(deadlineTimer);
    if (firstTokenTimer >= 0) vertx.cancelTimer(firstTokenTimer);
    if (idleTimer >= 0) vertx.cancelTimer(idleTimer);
    if (cancelTimer >= 0) vertx.cancelTimer(cancelTimer);
    deadlineTimer = firstTokenTimer = idleTimer = cancelTimer = -1;
  }
}
