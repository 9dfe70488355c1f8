package dev.salesagent.router.execution;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.strategy.TargetRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's attempts and cost. Settling an attempt closes everything it held — the circuit permit (as success or
 * error), the provider's health, the latency averages, the budget reservation (at the reported cost) — then meters it
 * and reports it to the {@link dev.salesagent.router.routing.UsageSink}.
 */
final class AttemptLedger {
  // logged under the router's name: that is the logger operators configure
  private static final Logger log = LoggerFactory.getLogger(UnifiedRouter.class);

  private final RouterServices services;
  private final String requestId;
  private final String apiKeyId;
  private final String task;
  private final boolean streaming;
  private final List<Attempt> attempts = new ArrayList<>(4);
  private double costUsd;

  AttemptLedger(RouterServices services, String requestId, String apiKeyId, String task, boolean streaming) {
    this.services = services;
    this.requestId = requestId;
    this.apiKeyId = apiKeyId;
    this.task = task;
    this.streaming = streaming;
  }

  /** The providerErrorType of an attempt the caller cancelled (the wire adapters use the same for a cancelled stream). */
  static final String CALLER_CANCELLED = "cancelled";

  static boolean countsAgainstCircuit(ErrorKind k) {
    return switch (k) {
      case RATE_LIMITED, OVERLOADED, TIMEOUT, INTERRUPTED, UNAVAILABLE, UPSTREAM_ERROR, AUTHENTICATION, NOT_FOUND -> true;
      default -> false;
    };
  }

  /** Rate limits say "slow down", not "unhealthy": they count against the target's circuit, not the provider's health. */
  static boolean countsAgainstHealth(ErrorKind k) {
    return switch (k) {
      case OVERLOADED, TIMEOUT, INTERRUPTED, UNAVAILABLE, UPSTREAM_ERROR, AUTHENTICATION -> true;
      default -> false;
    };
  }

  /** The attempts so far, in order (the live list: the response carries it). */
  List<Attempt> attempts() { return attempts; }

  boolean isEmpty() { return attempts.isEmpty(); }

  double costUsd() { return costUsd; }

  /** {@code ttftMs} is null for a non-streaming call. An unknown usage settles the budget at the estimate. */
  void succeeded(Admitted a, Usage u, long latencyMs, Long ttftMs) {
    TargetRef t = a.target();
    a.runtime().breaker.onSuccess(latencyMs, TimeUnit.MILLISECONDS);
    a.provider().health.recordSuccess();
    services.state().recordLatency(t, latencyMs, ttftMs);
    double cost = cost(t, u);
    services.budgets().settle(a.reservationId(), u.isKnown() ? cost : a.estimateUsd());
    costUsd += cost;
    attempts.add(new Attempt(t.providerName(), t.model(), "ok", 200, latencyMs));
    record(t, u, cost, latencyMs, "ok", 200);
  }

  /** A failed attempt costs what the provider reported before it failed, nothing when it reported nothing. */
  void failed(Admitted a, LlmException e, long latencyMs) {
    TargetRef t = a.target();
    ErrorKind k = e.kind();
    if (countsAgainstCircuit(k)) a.runtime().breaker.onError(latencyMs, TimeUnit.MILLISECONDS, e);
    else a.runtime().breaker.onSuccess(latencyMs, TimeUnit.MILLISECONDS);
    if (countsAgainstHealth(k)) a.provider().health.recordFailure(k, e.httpStatus());
    else if (k != ErrorKind.NOT_FOUND && k != ErrorKind.RATE_LIMITED) a.provider().health.recordSuccess();
    Usage pu = e.partialUsage();
    double cost = cost(t, pu);
    services.budgets().settle(a.reservationId(), cost);
    costUsd += cost;
    attempts.add(new Attempt(t.providerName(), t.model(), k.wire(), e.httpStatus(), latencyMs));
    record(t, pu, cost, latencyMs, k.wire(), e.httpStatus());
  }

  /**
   * The caller cancelled the attempt: not the provider's fault, so its circuit permit is given back unused and its
   * health hears nothing. The reservation settles at the usage reported so far, or is released when there was none.
   */
  void cancelled(Admitted a, LlmException e, long latencyMs) {
    TargetRef t = a.target();
    a.runtime().breaker.releasePermission();
    Usage pu = e.partialUsage();
    double cost = cost(t, pu);
    if (pu != null && pu.isKnown()) services.budgets().settle(a.reservationId(), cost);
    else services.budgets().release(a.reservationId());
    costUsd += cost;
    attempts.add(new Attempt(t.providerName(), t.model(), e.kind().wire(), e.httpStatus(), latencyMs));
    record(t, pu, cost, latencyMs, e.kind().wire(), e.httpStatus());
  }

  private static double cost(TargetRef t, Usage u) {
    if (u == null || !u.isKnown()) return 0;
    return t.spec().costUsd(u.inputOrZero(), u.cachedOrZero(), u.outputOrZero());
  }

  private void record(TargetRef t, Usage u, double cost, long lat, String outcome, Integer status) {
    var metrics = services.metrics();
    metrics.attempt(t.providerName(), t.model(), task, outcome, lat, streaming);
    if (u != null) metrics.tokens(t.providerName(), t.model(), task, u.inputTokens(), u.outputTokens());
    metrics.cost(t.providerName(), t.model(), task, cost);
    try {
      services.usageSink().record(new UsageRecord(Instant.now(), requestId, apiKeyId, task, t.providerName(), t.model(),
          u == null ? null : u.inputTokens(), u == null ? null : u.cachedInputTokens(), u == null ? null : u.outputTokens(),
          cost, lat, outcome, status, streaming));
    } catch (RuntimeException ex) {
      log.warn("usage sink failed for request {}", requestId, ex);
    }
  }
}
