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
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's attempts and cost. Recording an attempt's ending works out what it is charged, settles its
 * {@link AttemptPermits} with the outcome and that cost (circuit permit, bulkhead slot, budget reservation), tells the
 * provider's health what the outcome's {@link ErrorKind} says and the latency averages how long it took, then meters
 * it and reports it to the {@link dev.salesagent.router.routing.UsageSink}.
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
  private final String requestedModel;
  private final List<Attempt> attempts = new ArrayList<>(4);
  private double costUsd;

  AttemptLedger(RouterServices services, String requestId, String apiKeyId, String task, boolean streaming,
                String requestedModel) {
    this.services = services;
    this.requestedModel = requestedModel;
    this.requestId = requestId;
    this.apiKeyId = apiKeyId;
    this.task = task;
    this.streaming = streaming;
  }

  /** The providerErrorType of an attempt the caller cancelled (the wire adapters use the same for a cancelled stream). */
  static final String CALLER_CANCELLED = "cancelled";

  /** The attempts so far, in order (the live list: the response carries it). */
  List<Attempt> attempts() { return attempts; }

  boolean isEmpty() { return attempts.isEmpty(); }

  /** The caller's key, charged for every attempt ({@code null} for the CLI). */
  String apiKeyId() { return apiKeyId; }

  double costUsd() { return costUsd; }

  /**
   * {@code ttftMs} is null for a non-streaming call. An answer without reported usage is charged the estimate of
   * {@link #estimated}: the provider billed it all the same.
   */
  void succeeded(AttemptPermits a, ChatResponse resp, long latencyMs, Long ttftMs) {
    Usage u = resp.usage();
    boolean complete = u.inputTokens() != null && u.outputTokens() != null;
    succeeded(a, u, complete ? 0 : outputTokensOf(resp), latencyMs, ttftMs);
  }

  /** A successful answer that reported {@code u}; {@code outputSeen} estimates its output when {@code u} lacks it. */
  void succeeded(AttemptPermits a, Usage u, int outputSeen, long latencyMs, Long ttftMs) {
    TargetRef t = a.target();
    boolean complete = u.inputTokens() != null && u.outputTokens() != null;
    if (!complete) u = estimated(a, u, outputSeen);
    double cost = cost(t, u);
    a.succeeded(latencyMs, cost);
    a.provider().health.recordSuccess();
    services.state().recordLatency(t, latencyMs, ttftMs);
    costUsd += cost;
    attempts.add(new Attempt(t.providerName(), t.model(), "ok", 200, latencyMs));
    record(t, u, !complete, cost, latencyMs, "ok", 200, ttftMs);
  }

  /**
   * A failed attempt costs what the provider reported before it failed — or, when {@code charged} (the upstream
   * accepted the request: see {@link TargetAttempt}), at least the estimate of {@link #estimated}; nothing when the
   * provider refused or never got it.
   */
  void failed(AttemptPermits a, LlmException e, long latencyMs, boolean charged, IntSupplier outputSeen) {
    Usage u = chargedUsage(a, e.partialUsage(), charged, outputSeen);
    double cost = cost(a.target(), u);
    a.failed(e, latencyMs, u.isKnown(), cost);
    ErrorKind k = e.kind();
    switch (k.health()) {
      case FAILURE -> a.provider().health.recordFailure(k, e.httpStatus());
      case SUCCESS -> a.provider().health.recordSuccess();
      case UNTOUCHED -> { }
    }
    ended(a, e, latencyMs, u, cost);
  }

  /**
   * The caller cancelled the attempt: not the provider's fault, so its circuit permit is given back unused and its
   * health hears nothing. It is charged like a failed attempt; a reservation with nothing to charge is released.
   */
  void cancelled(AttemptPermits a, LlmException e, long latencyMs, boolean charged, IntSupplier outputSeen) {
    Usage u = chargedUsage(a, e.partialUsage(), charged, outputSeen);
    double cost = cost(a.target(), u);
    a.cancelled(u.isKnown(), cost);
    ended(a, e, latencyMs, u, cost);
  }

  /** What a failed or cancelled attempt is charged: what was reported, or at least the estimate when {@code charged}. */
  private static Usage chargedUsage(AttemptPermits a, Usage reported, boolean charged, IntSupplier outputSeen) {
    return charged ? estimated(a, reported, outputSeen.getAsInt()) : reported;
  }

  private void ended(AttemptPermits a, LlmException e, long latencyMs, Usage u, double cost) {
    TargetRef t = a.target();
    boolean estimate = !u.equals(e.partialUsage());
    costUsd += cost;
    attempts.add(new Attempt(t.providerName(), t.model(), e.kind().wire(), e.httpStatus(), latencyMs));
    record(t, u, estimate, cost, latencyMs, e.kind().wire(), e.httpStatus(), null);
  }

  /**
   * The usage an attempt is charged when the provider's report is missing or incomplete: the counts it reported,
   * the rest estimated — input from the prompt estimate admission reserved for ({@link AttemptPermits#inputTokens()},
   * prefill included), output from the text, reasoning and tool calls the attempt received. A reported output count
   * below what was received is stale (Anthropic's {@code message_start} says 1 before the first token) and is
   * replaced too.
   */
  private static Usage estimated(AttemptPermits a, Usage reported, int outputSeen) {
    Integer in = reported.inputTokens() != null ? reported.inputTokens() : a.inputTokens();
    Integer out = reported.outputTokens();
    if (out == null || out < outputSeen) out = outputSeen;
    return new Usage(in, out, reported.cachedInputTokens(), reported.cacheCreationInputTokens());
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
    return t.spec().costUsd(u.inputOrZero(), u.cachedOrZero(), u.cacheCreationOrZero(), u.outputOrZero());
  }

  /** Estimated usage is metered apart: the token and cost meters count what providers reported, nothing else. */
  private void record(TargetRef t, Usage u, boolean estimated, double cost, long lat, String outcome, Integer status,
                      Long ttftMs) {
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
          cost, lat, outcome, status, streaming, estimated, requestedModel, ttftMs, attempts.size()));
    } catch (RuntimeException ex) {
      log.warn("usage sink failed for request {}", requestId, ex);
    }
  }
}
