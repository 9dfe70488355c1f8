package dev.salesagent.router.health;

import dev.salesagent.router.error.ErrorKind;

/**
 * One provider's health from live traffic (passive) and probes (active). {@code down} after
 * {@code downAfterFailures} consecutive provider faults or a failed probe streak, or at once on an authentication
 * failure; {@code degraded} when the error rate over the last {@value #WINDOW} outcomes passes the threshold;
 * {@code healthy} again on the first success (live or probe). Unconfigured providers stay unconfigured.
 * Reads are lock-free (volatile); updates are synchronized.
 */
public final class ProviderHealth {
  static final int WINDOW = 20;

  private final String provider;
  private final int downAfterFailures;
  private final int degradedRatePercent;
  private final boolean configured;
  private final String unconfiguredReason;

  private volatile HealthState state;
  private volatile String reason;
  private volatile long changedAtMillis = System.currentTimeMillis();
  private volatile long lastProbeAtMillis;
  /** While down: when plans may try it again without a good probe (passive down cools off; probe-down waits). */
  private volatile long retryAtMillis = Long.MAX_VALUE;
  private long cooldownMs = 15_000;
  private volatile String lastProbe;

  private final boolean[] window = new boolean[WINDOW];
  private int windowPos;
  private int windowCount;
  private int windowFailures;
  private int consecutiveFailures;

  public ProviderHealth(String provider, boolean configured, String unconfiguredReason, int downAfterFailures, int degradedRatePercent) {
    this.provider = provider;
    this.configured = configured;
    this.unconfiguredReason = unconfiguredReason;
    this.downAfterFailures = downAfterFailures;
    this.degradedRatePercent = degradedRatePercent;
    this.state = configured ? HealthState.HEALTHY : HealthState.UNCONFIGURED;
    this.reason = configured ? "no failures seen" : unconfiguredReason;
  }

  public String provider() { return provider; }

  /** How long a provider marked down by live traffic is skipped before plans try it again (the circuit's open_ms). */
  public synchronized ProviderHealth cooldownMs(long ms) {
    this.cooldownMs = ms;
    return this;
  }

  /** Down and not yet due for another try: plans skip it. */
  public boolean skipped(long nowMillis) {
    return state == HealthState.DOWN && nowMillis < retryAtMillis;
  }

  public HealthState state() { return state; }

  public String reason() { return reason; }

  public long changedAtMillis() { return changedAtMillis; }

  public String lastProbe() { return lastProbe; }

  public long lastProbeAtMillis() { return lastProbeAtMillis; }

  /** A live call ended well (or with a caller fault, which says nothing bad about the provider). */
  public synchronized void recordSuccess() {
    push(false);
    consecutiveFailures = 0;
    evaluate("live traffic ok");
  }

  /** A live call failed with a provider fault. */
  public synchronized void recordFailure(ErrorKind kind, Integer status) {
    push(true);
    consecutiveFailures++;
    String what = kind.wire() + (status == null ? "" : " " + status);
    if (kind.marksMisconfigured()) {
      set(HealthState.DOWN, "authentication failed (" + what + "): check the provider's API key");
      retryAtMillis = System.currentTimeMillis() + cooldownMs;
      return;
    }
    if (consecutiveFailures >= downAfterFailures) {
      set(HealthState.DOWN, consecutiveFailures + " consecutive failures, last " + what);
      retryAtMillis = System.currentTimeMillis() + cooldownMs;
      return;
    }
    evaluate("last failure " + what);
  }

  /** An active probe's outcome. */
  public synchronized void recordProbe(boolean ok, Integer status, long latencyMs, String detail) {
    lastProbeAtMillis = System.currentTimeMillis();
    lastProbe = ok ? "ok in " + latencyMs + " ms" : "failed" + (status == null ? "" : " (" + status + ")") + (detail == null ? "" : ": " + detail);
    if (!configured) return;
    if (ok) {
      consecutiveFailures = 0;
      if (state == HealthState.DOWN) {
        // a recovered provider starts with a clean window so old failures do not keep it degraded
        windowPos = 0;
        windowCount = 0;
        windowFailures = 0;
        set(HealthState.HEALTHY, "probe ok in " + latencyMs + " ms");
      }
    } else {
      consecutiveFailures++;
      if (consecutiveFailures >= downAfterFailures || (status != null && (status == 401 || status == 403))) {
        set(HealthState.DOWN, "probe " + lastProbe);
        retryAtMillis = Long.MAX_VALUE;
      } else if (state == HealthState.HEALTHY) {
        set(HealthState.DEGRADED, "probe " + lastProbe);
      }
    }
  }

  private void push(boolean failure) {
    if (windowCount == WINDOW) {
      if (window[windowPos]) windowFailures--;
    } else {
      windowCount++;
    }
    window[windowPos] = failure;
    if (failure) windowFailures++;
    windowPos = (windowPos + 1) % WINDOW;
  }

  private void evaluate(String why) {
    if (!configured) return;
    int rate = windowCount == 0 ? 0 : windowFailures * 100 / windowCount;
    if (windowCount >= 4 && rate >= degradedRatePercent) {
      set(HealthState.DEGRADED, "error rate " + rate + "% over the last " + windowCount + " calls, " + why);
    } else {
      set(HealthState.HEALTHY, windowFailures == 0 ? "no recent failures" : "error rate " + rate + "% over the last " + windowCount + " calls");
    }
  }

  private void set(HealthState s, String r) {
    if (s != state) changedAtMillis = System.currentTimeMillis();
    if (s != HealthState.DOWN) retryAtMillis = Long.MAX_VALUE;
    state = s;
    reason = r;
  }
}
