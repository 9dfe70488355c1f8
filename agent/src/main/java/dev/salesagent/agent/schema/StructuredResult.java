package dev.salesagent.agent.schema;

import java.util.List;

/**
 * A validated structured answer and how it was obtained.
 *
 * @param calls     router calls made: 1, or 2 after a repair
 * @param costUsd   the cost of all calls (list prices, from reported usage)
 * @param fallbacks failed attempts before the successful one, over all calls (a provider fallback or retry)
 */
public record StructuredResult<T>(
    T value, String promptId, String provider, String model, double costUsd, int calls, long latencyMs,
    int fallbacks, List<String> requestIds) {
  public StructuredResult {
    requestIds = List.copyOf(requestIds);
  }
}
