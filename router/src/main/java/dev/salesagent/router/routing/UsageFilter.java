package dev.salesagent.router.routing;

import java.time.Instant;

/**
 * Which ledger rows to look at; {@code null} fields do not filter.
 *
 * @param from inclusive
 * @param to   exclusive
 */
public record UsageFilter(Instant from, Instant to, String apiKeyId, String task, String provider, String model,
                          String requestIdPrefix) {
  public static final UsageFilter ALL = new UsageFilter(null, null, null, null, null, null, null);

  public UsageFilter withRequestIdPrefix(String p) {
    return new UsageFilter(from, to, apiKeyId, task, provider, model, p);
  }

  public UsageFilter withApiKeyId(String k) {
    return new UsageFilter(from, to, k, task, provider, model, requestIdPrefix);
  }
}
