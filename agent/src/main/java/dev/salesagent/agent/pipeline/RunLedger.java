package dev.salesagent.agent.pipeline;

import dev.salesagent.router.routing.UsageRecord;
import java.util.List;

/**
 * Reads the usage ledger's rows of one run: every request id the pipeline sends starts with {@code <runId>:}.
 * Blocking.
 */
public interface RunLedger {
  List<UsageRecord> forRun(String runId);

  /** Makes every record reported so far readable (the router's sink writes in batches). */
  default void flush() {}
}
