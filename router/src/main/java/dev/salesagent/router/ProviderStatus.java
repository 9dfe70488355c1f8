package dev.salesagent.router;

import java.util.List;

/**
 * A provider as {@code providers} and {@code GET /v1/providers} show it. Never holds a key or URL credentials.
 *
 * @param state        {@code healthy|degraded|down|unconfigured}
 * @param reason       why it is in that state
 * @param baseUrl      the service root it calls, credentials in it redacted
 * @param latencyEwmaMs latency EWMA over its targets' successful calls (time to first token for streams), null if none yet
 * @param lastProbe    the last active probe's outcome, null before the first
 */
public record ProviderStatus(
    String name,
    String kind,
    String state,
    String reason,
    String baseUrl,
    boolean configured,
    Double latencyEwmaMs,
    String lastProbe,
    List<TargetStatus> models) {

  public ProviderStatus {
    models = List.copyOf(models);
    // shown to client keys and printed by the CLI: a password inside a base URL stays in the configuration
    baseUrl = dev.salesagent.router.error.Redaction.url(baseUrl);
    reason = dev.salesagent.router.error.Redaction.text(reason);
    lastProbe = dev.salesagent.router.error.Redaction.text(lastProbe);
  }

  /**
   * One model of the provider.
   *
   * @param circuit        {@code closed|open|half_open|…}
   * @param circuitOpenMs  when open: ms until a half-open probe may pass; else null
   * @param failureRatePercent the breaker's failure rate over its window, null until minimum_calls were seen
   * @param circuitChangedAt   when the circuit last changed state (ISO instant), null = not since start
   * @param circuitReason      why it did ("failure rate 60% over the last 5 calls reached the threshold", …)
   */
  public record TargetStatus(
      String model,
      int contextWindow,
      double inputUsdPerMtok,
      double outputUsdPerMtok,
      Double cachedInputUsdPerMtok,
      List<String> capabilities,
      String circuit,
      Long circuitOpenMs,
      Double failureRatePercent,
      Double latencyEwmaMs,
      Double ttftEwmaMs,
      String circuitChangedAt,
      String circuitReason) {

    public TargetStatus {
      capabilities = List.copyOf(capabilities);
    }
  }
}
