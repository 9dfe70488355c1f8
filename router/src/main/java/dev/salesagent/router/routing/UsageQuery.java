package dev.salesagent.router.routing;

import java.util.List;

/**
 * Reads back what a {@link UsageSink} recorded: spend totals grouped by {@code key}, {@code task}, {@code provider},
 * {@code model}, {@code day} (UTC) or {@code outcome}. The port the gateway's usage and admin endpoints read; the
 * durable ledger in {@code store} implements it. Blocking: call it off the event loop.
 */
public interface UsageQuery {
  /**
   * Totals grouped by {@code groupBy} (in that order; empty = one grand total row), ordered by the group values.
   *
   * @throws IllegalArgumentException naming an unknown dimension
   */
  List<UsageTotals> totals(List<String> groupBy, UsageFilter filter);
}
