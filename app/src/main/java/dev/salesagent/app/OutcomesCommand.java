package dev.salesagent.app;

import dev.salesagent.agent.outcome.CostPerOutcome;
import dev.salesagent.server.sales.OutcomesApi;
import dev.salesagent.store.Database;
import dev.salesagent.store.outcome.JdbcOutcomeQueries;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sales-agent outcomes [--run ID] [--json]}: cost per outcome (docs/SALES-PIPELINE.md "Cost per outcome"). */
@Command(name = "outcomes", mixinStandardHelpOptions = true,
    description = "Cost per qualified lead, approved draft, sent email and interested reply, by task and provider.")
final class OutcomesCommand implements Callable<Integer> {
  @Option(names = "--run", paramLabel = "ID", description = "one run (default: every run and every triaged reply)")
  String runId;

  @Option(names = "--json", description = "the JSON of GET /v1/outcomes/cost")
  boolean json;

  @Option(names = "--db-url", description = "JDBC URL (default: $SALES_AGENT_DB_URL, else ./data/sales-agent)")
  String dbUrl;

  @Override
  public Integer call() {
    try (Database db = KeysCommand.open(dbUrl)) {
      CostPerOutcome c = new JdbcOutcomeQueries(db).costPerOutcome(runId);
      RouterBoot.utf8Out().print(json ? OutcomesApi.json(runId, c) + "\n" : c.markdown());
      return Main.EXIT_OK;
    }
  }
}
