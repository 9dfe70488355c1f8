package dev.salesagent.router.execution;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.strategy.TargetRef;
import dev.salesagent.router.tokens.TokenEstimator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's attempts and cost. Settling an attempt closes everything it held — the circuit permit (as success or
 * error), the provider's health, the latency averages, the budget reservation — then meters it and reports it to the
 * {@link dev.salesagent.router.routing.UsageSink}.
 *
 * <p>Charging rule: an attempt costs the usage its provider reported. One that ended without a complete report is
 * charged an estimate (and recorded as estimated) when the provider billed it all the same: it answered (a stream
 * that opened and was then cut, stalled, errored or was cancelled; an answer without usage), or it had the request
 * when the caller abandoned it. A refused or unreachable provider — connect failure, an error status, a connection
 * closed before any answer, a timeout before any answer — is charged nothing.
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

  /**
   * {@code ttftMs} is null for a non-streaming call. An answer without reported usage is charged the estimate of
   * {@link #estimated}: the provider billed it all the same.
   */
  void succeeded(Admitted a, ChatResponse resp, long latencyMs, Long ttftMs) {
    TargetRef t = a.target();
    a.runtime().breaker.onSuccess(latencyMs, TimeUnit.MILLISECONDS);
    a.provider().health.recordSuccess();
    services.state().recordLatency(t, latencyMs, ttftMs);
    Usage u = resp.usage();
    boolean complete = u.inputTokens() != null && u.outputTokens() != null;
    if (!complete) u = estimated(a, u, outputTokensOf(resp));
    double cost = cost(t, u);
    services.budgets().settle(a.reservationId(), cost);
    costUsd += cost;
    attempts.add(new Attempt(t.providerName(), t.model(), "ok", 200, latencyMs));
    record(t, u, !complete, cost, latencyMs, "ok", 200);
  }

  /**
   * A failed attempt costs what the provider reported before it failed — or, when {@code charged} (the upstream
   * accepted the request: see {@link TargetAttempt}), at least the estimate of {@link #estimated}; nothing when the
   * provider refused or never got it.
   */
  void failed(Admitted a, LlmException e, long latencyMs, boolean charged, IntSupplier outputSeen) {
    TargetRef t = a.target();
    ErrorKind k = e.kind();
    if (countsAgainstCircuit(k)) a.runtime().breaker.onError(latencyMs, TimeUnit.MILLISECONDS, e);
    else a.runtime().breaker.onSuccess(latencyMs, TimeUnit.MILLISECONDS);
    if (countsAgainstHealth(k)) a.provider().health.recordFailure(k, e.httpStatus());
    else if (k != ErrorKind.NOT_FOUND && k != ErrorKind.RATE_LIMITED) a.provider().health.recordSuccess();
    ended(a, e, latencyMs, charged, outputSeen);
  }

  /**
   * The caller cancelled the attempt: not the provider's fault, so its circuit permit is given back unused and its
   * health hears nothing. It is charged like a failed attempt; a reservation with nothing to charge is released.
   */
  void cancelled(Admitted a, LlmException e, long latencyMs, boolean charged, IntSupplier outputSeen) {
    a.runtime().breaker.releasePermission();
    ended(a, e, latencyMs, charged, outputSeen);
  }

  private void ended(Admitted a, LlmException e, long latencyMs, boolean charged, IntSupplier outputSeen) {
    TargetRef t = a.target();
    Usage u = e.partialUsage();
    boolean estimate = charged;
    if (charged) {
      Usage est = estimated(a, u, outputSeen.getAsInt());
      estimate = !est.equals(u);
      u = est;
    }
    double cost = cost(t, u);
    if (u.isKnown()) services.budgets().settle(a.reservationId(), cost);
    else services.budgets().release(a.reservationId());
    costUsd += cost;
    attempts.add(new Attempt(t.providerName(), t.model(), e.kind().wire(), e.httpStatus(), latencyMs));
    record(t, u, estimate, cost, latencyMs, e.kind().wire(), e.httpStatus());
  }

  /**
   * The usage an attempt is charged when the provider's report is missing or incomplete: the counts it reported,
   * the rest estimated — input from the prompt estimate admission reserved for ({@link Admitted#inputTokens()},
   * prefill included), output from the text, reasoning and tool calls the attempt received. A reported output count
   * below what was received is stale (Anthropic's {@code message_start} says 1 before the first token) and is
   * replaced too.
   */
  private static Usage estimated(Admitted a, Usage reported, int outputSeen) {
    Integer in = reported.inputTokens() != null ? reported.inputTokens() : a.inputTokens();
    Integer out = reported.outputTokens();
    if (out == null || out < outputSeen) out = outputSeen;
    return new Usage(in, out, reported.cachedInputTokens());
  }

  /** Output tokens of a whole answer, by the project's tokenizer (tool-call arguments and reasoning by length). */
  private int outputTokensOf(ChatResponse r) {
    int n = services.tokens().count(r.text());
    if (r.reasoning() != null) n += TokenEstimator.quick(r.reasoning());
    for (ToolCall tc : r.toolCalls()) n += TokenEstimator.quick(tc.name()) + TokenEstimator.quick(tc.argumentsJson());
    return n;
  }

  private static double cost(TargetRef t, Usage u) {
    if (u == null || !u.isKnown()) return 0;
    return t.spec().costUsd(u.inputOrZero(), u.cachedOrZero(), u.outputOrZero());
  }

  /** Estimated usage is metered apart: the token and cost meters count what providers reported, nothing else. */
  private void record(TargetRef t, Usage u, boolean estimated, double cost, long lat, String outcome, Integer status) {
    var metrics = services.metrics();
    metrics.attempt(t.providerName(), t.model(), task, outcome, lat, streaming);
    if (estimated) {
      metrics.estimated(t.providerName(), t.model(), task, u.inputTokens(), u.outputTokens(), cost);
    } else {
      if (u != null) metrics.tokens(t.providerName(), t.model(), task, u.inputTokens(), u.outputTokens());
      metrics.cost(t.providerName(), t.model(), task, cost);
    }
    try {
      services.usageSink().record(new UsageRecord(Instant.now(), requestId, apiKeyId, task, t.providerName(), t.model(),
          u == null ? null : u.inputTokens(), u == null ? null : u.cachedInputTokens(), u == null ? null : u.outputTokens(),
          cost, lat, outcome, status, streaming, estimated));
    } catch (RuntimeException ex) {
      log.warn("usage sink failed for request {}", requestId, ex);
    }
  }
}
