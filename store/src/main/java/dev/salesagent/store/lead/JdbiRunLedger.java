package dev.salesagent.store.lead;

import dev.salesagent.agent.pipeline.RunLedger;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.store.ledger.JdbcUsageLedger;
import java.time.Duration;
import java.util.List;

/**
 * The usage ledger's rows of a run: request ids {@code <runId>:…}, read through the ledger's own queries after a
 * flush of its write buffer, so the report counts exactly what the ledger holds.
 */
public final class JdbiRunLedger implements RunLedger {
  private final JdbcUsageLedger ledger;

  public JdbiRunLedger(JdbcUsageLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public List<UsageRecord> forRun(String runId) {
    return ledger.queries().byRequestIdPrefix(runId + ":");
  }

  @Override
  public void flush() {
    if (!ledger.flush(Duration.ofSeconds(30))) {
      throw new IllegalStateException("the usage ledger could not be flushed within 30 s");
    }
  }
}
