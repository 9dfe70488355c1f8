package dev.salesagent.app;

import dev.salesagent.agent.send.SuppressionReason;
import dev.salesagent.store.Database;
import dev.salesagent.store.mail.JdbcSuppressionList;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sales-agent suppress add|check}: the list of who is never emailed (docs/SALES-PIPELINE.md "Sending"). */
@Command(name = "suppress", mixinStandardHelpOptions = true, description = "Manage the suppression list.",
    subcommands = {SuppressCommand.Add.class, SuppressCommand.Check.class})
final class SuppressCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.err);
  }

  static final class Target {
    @Option(names = "--email", description = "an address (stored as a salted hash)") String email;
    @Option(names = "--domain", description = "a do-not-contact domain (covers its subdomains)") String domain;
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Never email this address or domain.")
  static final class Add implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1") Target target;

    @Option(names = "--reason", defaultValue = "do_not_contact",
        description = "for --email: unsubscribed, bounced or do_not_contact (default ${DEFAULT-VALUE})")
    String reason;

    @Option(names = "--db-url", description = "JDBC URL") String dbUrl;

    @Override
    public Integer call() {
      try (Database db = KeysCommand.open(dbUrl)) {
        var list = new JdbcSuppressionList(db);
        if (target.domain != null) list.suppressDomain(target.domain, "cli");
        else list.suppressAddress(target.email, SuppressionReason.fromWire(reason), "cli");
        System.err.println("suppressed " + (target.domain != null ? "domain " + target.domain : "address (hash)"));
        return Main.EXIT_OK;
      } catch (IllegalArgumentException e) {
        System.err.println("suppress add: " + e.getMessage());
        return Main.EXIT_USAGE;
      }
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true, description = "Say whether an address may be emailed.")
  static final class Check implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EMAIL") String email;

    @Option(names = "--db-url", description = "JDBC URL") String dbUrl;

    @Override
    public Integer call() {
      try (Database db = KeysCommand.open(dbUrl)) {
        var hit = new JdbcSuppressionList(db).check(email);
        System.out.println(hit.map(s -> "suppressed: " + s.describe()).orElse("not suppressed"));
        return Main.EXIT_OK;
      }
    }
  }
}
