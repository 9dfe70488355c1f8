package dev.salesagent.app;

import dev.salesagent.agent.privacy.Erasure;
import dev.salesagent.store.Database;
import dev.salesagent.store.mail.JdbcSuppressionList;
import dev.salesagent.store.privacy.JdbcErasure;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sales-agent leads forget EMAIL}: erase a person (docs/SALES-PIPELINE.md "Erasure"). */
@Command(name = "leads", mixinStandardHelpOptions = true, description = "Manage leads (erasure).",
    subcommands = {LeadsCommand.Forget.class})
final class LeadsCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.err);
  }

  @Command(name = "forget", mixinStandardHelpOptions = true,
      description = "Erase a person: leads, results, drafts, sends and replies go; the usage ledger keeps its costs "
          + "without the person; the suppression list keeps a salted hash so they are never emailed again.")
  static final class Forget implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EMAIL", description = "the person's email address")
    String email;

    @Option(names = "--db-url", description = "JDBC URL (default: $SALES_AGENT_DB_URL, else ./data/sales-agent)")
    String dbUrl;

    @Override
    public Integer call() {
      try (Database db = KeysCommand.open(dbUrl)) {
        Erasure.Report r = new JdbcErasure(db, new JdbcSuppressionList(db)).forget(email);
        for (Map.Entry<String, Integer> e : r.rows().entrySet()) {
          if (e.getValue() > 0) System.out.println(e.getKey() + ": " + e.getValue());
        }
        System.err.println(r.total() == 0 ? "nothing held for that address; it is on the suppression list (hash only)"
            : "forgotten: " + r.total() + " rows removed or anonymised; the suppression list keeps only a hash");
        return Main.EXIT_OK;
      } catch (IllegalArgumentException e) {
        System.err.println("leads forget: " + e.getMessage());
        return Main.EXIT_USAGE;
      }
    }
  }
}
