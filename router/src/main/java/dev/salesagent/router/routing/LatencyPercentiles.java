package dev.salesagent.router.routing;

/**
 * One provider's model over a window, from the usage ledger: its attempts, how many failed, and the median and 95th
 * percentile latency of its successful attempts (whole call for a non-streaming attempt, to the stream's end for a
 * streaming one); the percentiles are {@code null} when no attempt succeeded.
 */
public record LatencyPercentiles(String provider, String model, long attempts, long failedAttempts, Double p50Ms,
                                 Double p95Ms) {}
