package dev.salesagent.router.execution;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.execution.LiveState.ProviderRuntime;
import dev.salesagent.router.execution.LiveState.TargetRuntime;
import dev.salesagent.router.strategy.TargetRef;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Everything one attempt holds, with one owner. It acquires in order — the target's circuit-breaker permit, the
 * provider's admission (a bulkhead slot, then its client-side RPM/TPM), a budget reservation — and gives each back
 * exactly once, however the attempt ends: settled with the call's outcome ({@link #succeeded}, {@link #failed},
 * {@link #cancelled}), or {@link #abandon abandoned} before any call (refused at a stage, or cancelled while
 * acquiring: a queued waiter leaves the bulkhead's queue, a rate-limit wait is dropped, a reservation still on its way
 * is released when it arrives). After it settled or was abandoned, nothing it acquires later stays held, and every
 * further settle is a no-op. Used on the request's context only.
 */
final class AttemptPermits {
  /** The bulkhead gives up this close to the deadline: a slot then could not carry a call anyway. */
  static final long SLOT_WAIT_MARGIN_MS = 5;

  private static final byte NONE = 0;
  private static final byte ASKED = 1;
  private static final byte HELD = 2;
  private static final byte DONE = 3;

  private final RouterServices services;
  private final TargetRef target;
  private final TargetRuntime runtime;
  private final ProviderRuntime provider;
  private boolean permit;
  private boolean slot;
  /** Queued for a bulkhead slot; null when not waiting. */
  private ProviderSlots.Waiter waiter;
  /** The slot wait's deadline, or a client-side rate-limit wait; -1 when none. */
  private long timer = -1;
  private Promise<Void> admission;
  private byte reservation = NONE;
  private String reservationId;
  private int inputTokens;
  /** Settled or abandoned: whatever arrives later goes straight back. */
  private boolean closed;

  AttemptPermits(RouterServices services, TargetRef target) {
    this(services, target, services.state().target(target), services.state().provider(target));
  }

  /** With the target's and provider's run-time state given (tests hand in a breaker that counts). */
  AttemptPermits(RouterServices services, TargetRef target, TargetRuntime runtime, ProviderRuntime provider) {
    this.services = services;
    this.target = target;
    this.runtime = runtime;
    this.provider = provider;
  }

  TargetRef target() { return target; }

  ProviderRuntime provider() { return provider; }

  /**
   * The prompt estimate behind the reservation (a continuation's prefill included): what an attempt that ends without
   * reported usage is charged for its input.
   */
  int inputTokens() { return inputTokens; }

  // ---- acquiring, in order ----

  /** Stage 1. False when the circuit refuses a call now; nothing is held then. */
  boolean takeCircuitPermit() {
    permit = runtime.breaker.tryAcquirePermission();
    if (!permit) closed = true;
    return permit;
  }

  /** The circuit's state, for the note of a refused permit. */
  String circuitState() {
    return runtime.breaker.getState().name().toLowerCase(Locale.ROOT);
  }

  /**
   * Stage 2. Completes when the call may go out: a bulkhead slot is held (queued for, first come first served, when
   * none is free) and the RPM/TPM limits let it through. Fails with {@code overloaded} or {@code rate_limited} when the
   * provider's limits leave no room before the deadline; everything is then given back. Does not complete once
   * {@link #abandon abandoned}.
   */
  Future<Void> admit(int tokensNeeded, Deadline deadline) {
    ProviderSlots slots = provider.slots;
    if (slots != null) {
      if (!slots.tryAcquire()) return queueForSlot(slots, tokensNeeded, deadline);
      slot = true;
    }
    if (provider.rpm == null && provider.tpm == null) return Future.succeededFuture(); // the common case: nothing to wait for
    admission = Promise.promise();
    rateLimits(tokensNeeded, deadline);
    return admission.future();
  }

  private Future<Void> queueForSlot(ProviderSlots slots, int tokensNeeded, Deadline deadline) {
    admission = Promise.promise();
    Context ctx = Vertx.currentContext();
    waiter = slots.enqueue(ctx != null ? ctx : services.vertx().getOrCreateContext(), v -> slotGranted(tokensNeeded, deadline));
    if (waiter == null) { // a slot came free meanwhile
      slot = true;
      rateLimits(tokensNeeded, deadline);
      return admission.future();
    }
    long waitMs = deadline.remainingMs() - SLOT_WAIT_MARGIN_MS;
    if (waitMs <= 0) {
      slotWaitExpired();
    } else {
      timer = services.vertx().setTimer(waitMs, id -> {
        timer = -1;
        slotWaitExpired();
      });
    }
    return admission.future();
  }

  /** The bulkhead handed this attempt a slot (on its own context). */
  private void slotGranted(int tokensNeeded, Deadline deadline) {
    waiter = null;
    cancelTimer();
    if (closed) { // abandoned while the slot was on its way: pass it on
      provider.slots.release();
      return;
    }
    slot = true;
    rateLimits(tokensNeeded, deadline);
  }

  private void slotWaitExpired() {
    if (waiter != null && provider.slots.leave(waiter)) {
      waiter = null;
      refuse(LlmException.of(ErrorKind.OVERLOADED, "concurrency limit of " + provider.name() + " ("
          + provider.config.settings().maxConcurrency() + " calls) stayed full until the deadline"));
    }
    // else a slot was handed over meanwhile and is on its way
  }

  private void rateLimits(int tokensNeeded, Deadline deadline) {
    long waitNanos = 0;
    if (provider.rpm != null) {
      long w = provider.rpm.reservePermission();
      if (w < 0) {
        refuse(LlmException.of(ErrorKind.RATE_LIMITED, "client-side rpm limit of " + provider.name() + " leaves no slot before the deadline"));
        return;
      }
      waitNanos = w;
    }
    if (provider.tpm != null) {
      long w = provider.tpm.reservePermission(LiveState.tpmPermits(provider, tokensNeeded));
      if (w < 0) {
        refuse(LlmException.of(ErrorKind.RATE_LIMITED, "client-side tpm limit of " + provider.name() + " leaves no room before the deadline"));
        return;
      }
      waitNanos = Math.max(waitNanos, w);
    }
    long waitMs = TimeUnit.NANOSECONDS.toMillis(waitNanos);
    if (waitMs >= deadline.remainingMs()) {
      refuse(LlmException.of(ErrorKind.RATE_LIMITED, "client-side rate limit of " + provider.name() + " would delay the call "
          + waitMs + " ms, past the deadline"));
      return;
    }
    if (waitMs > 0) {
      timer = services.vertx().setTimer(waitMs, id -> {
        timer = -1;
        admission.tryComplete();
      });
    } else {
      admission.tryComplete();
    }
  }

  /** Admission refused: nothing was called, everything goes back, and the attempt is skipped with {@code e}'s reason. */
  private void refuse(LlmException e) {
    abandon();
    admission.tryFail(e);
  }

  /**
   * Stage 3. Reserves {@code usd} of the budgets; {@code then} hears whether the call may go out. A refused
   * reservation gives everything back; one that arrives after {@link #abandon} is released at once and {@code then}
   * is not called.
   */
  void reserve(String id, String apiKeyId, double usd, int inputTokens, Handler<AsyncResult<Void>> then) {
    this.reservationId = id;
    this.inputTokens = inputTokens;
    reservation = ASKED;
    services.budgets().reserve(id, apiKeyId, usd).onComplete(ar -> {
      if (ar.failed()) {
        reservation = NONE;
        abandon();
        then.handle(Future.failedFuture(ar.cause()));
      } else if (closed) {
        reservation = DONE;
        services.budgets().release(id);
      } else {
        reservation = HELD;
        then.handle(Future.succeededFuture());
      }
    });
  }

  // ---- settling, exactly once ----

  /** The call answered: the circuit records a success and the reservation is settled at {@code costUsd}. */
  void succeeded(long latencyMs, double costUsd) {
    if (closed) return;
    closed = true;
    freeSlot();
    if (permit) {
      permit = false;
      runtime.breaker.onSuccess(latencyMs, TimeUnit.MILLISECONDS);
    }
    settleReservation(true, costUsd);
  }

  /**
   * The call failed with {@code e}: the circuit records an error or a success as its kind says
   * ({@link ErrorKind#circuitFailure()}); the reservation is settled at {@code costUsd}, or released when the usage
   * is unknown (nothing to charge).
   */
  void failed(LlmException e, long latencyMs, boolean usageKnown, double costUsd) {
    if (closed) return;
    closed = true;
    freeSlot();
    if (permit) {
      permit = false;
      if (e.kind().circuitFailure()) runtime.breaker.onError(latencyMs, TimeUnit.MILLISECONDS, e);
      else runtime.breaker.onSuccess(latencyMs, TimeUnit.MILLISECONDS);
    }
    settleReservation(usageKnown, costUsd);
  }

  /** The caller cancelled the call: not the provider's fault, so the circuit permit goes back unused. */
  void cancelled(boolean usageKnown, double costUsd) {
    if (closed) return;
    closed = true;
    freeSlot();
    releasePermit();
    settleReservation(usageKnown, costUsd);
  }

  /**
   * Nothing will be called (refused at a stage, or the caller cancelled while this was acquiring): everything held
   * goes back unused, and whatever is still on its way goes back when it arrives. Idempotent: each part is given
   * back once, by its own flag.
   */
  void abandon() {
    closed = true;
    if (waiter != null && provider.slots.leave(waiter)) waiter = null; // else the slot is on its way: slotGranted passes it on
    cancelTimer();
    freeSlot();
    releasePermit();
    if (reservation == HELD) {
      reservation = DONE;
      services.budgets().release(reservationId);
    }
  }

  private void freeSlot() {
    if (slot) {
      slot = false;
      provider.slots.release();
    }
  }

  private void releasePermit() {
    if (permit) {
      permit = false;
      runtime.breaker.releasePermission();
    }
  }

  private void settleReservation(boolean usageKnown, double costUsd) {
    if (reservation != HELD) return;
    reservation = DONE;
    if (usageKnown) services.budgets().settle(reservationId, costUsd);
    else services.budgets().release(reservationId);
  }

  private void cancelTimer() {
    if (timer >= 0) {
      services.vertx().cancelTimer(timer);
      timer = -1;
    }
  }
}
