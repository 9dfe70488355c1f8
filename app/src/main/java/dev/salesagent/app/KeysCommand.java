package dev.salesagent.app;

import dev.salesagent.router.keys.ApiKey;
import dev.salesagent.router.keys.CreatedKey;
import dev.salesagent.store.Database;
import dev.salesagent.store.keys.JdbcApiKeyStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sales-agent keys create|list|revoke}: API keys in the database the gateway uses. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage gateway API keys.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.err);
  }

  static Database open(String dbUrl) {
    return Database.open(dbUrl != null ? dbUrl : Database.urlFromEnvironment());
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a key and print it once (only its SHA-256 is stored).")
  static final class Create implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "who or what the key is for")
    String name;

    @Option(names = "--scope", defaultValue = "client", description = "client or admin (default ${DEFAULT-VALUE})")
    String scope;

    @Option(names = "--budget-usd", description = "monthly budget in USD (UTC calendar month); none = unlimited")
    Double budgetUsd;

    @Option(names = "--rpm", description = "requests per minute allowed; none = unlimited")
    Integer rpm;

    @Option(names = "--tpm", description = "tokens per minute allowed (estimate at admission, settled to usage); none = unlimited")
    Integer tpm;

    @Option(names = "--db-url", description = "JDBC URL (default: $SALES_AGENT_DB_URL, else ./data/sales-agent)")
    String dbUrl;

    @Override
    public Integer call() {
      ApiKey.Scope sc;
      try {
        sc = ApiKey.Scope.fromWire(scope);
      } catch (IllegalArgumentException e) {
        System.err.println("keys create: " + e.getMessage());
        return Main.EXIT_USAGE;
      }
      try (Database db = open(dbUrl)) {
        CreatedKey c = new JdbcApiKeyStore(db).create(name, sc, budgetUsd, rpm, tpm);
        System.out.println("{\"id\":\"" + c.key().id() + "\",\"key\":\"" + c.plaintext() + "\",\"name\":"
            + quote(c.key().name()) + ",\"scope\":\"" + c.key().scope().wire() + "\",\"budget_usd\":"
            + (budgetUsd == null ? "null" : budgetUsd.toString()) + ",\"rpm\":" + (rpm == null ? "null" : rpm)
            + ",\"tpm\":" + (tpm == null ? "null" : tpm) + "}");
        System.err.println("Store this key now: it is shown only once (id " + c.key().id() + ").");
        return Main.EXIT_OK;
      } catch (IllegalArgumentException e) {
        System.err.println("keys create: " + e.getMessage());
        return Main.EXIT_USAGE;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never the keys themselves).")
  static final class ListKeys implements Callable<Integer> {
    @Option(names = "--db-url", description = "JDBC URL")
    String dbUrl;

    @Override
    public Integer call() {
      try (Database db = open(dbUrl)) {
        for (ApiKey k : new JdbcApiKeyStore(db).list()) {
          System.out.println("{\"id\":\"" + k.id() + "\",\"name\":" + quote(k.name()) + ",\"prefix\":\"" + k.prefix()
              + "\",\"scope\":\"" + k.scope().wire() + "\",\"budget_usd\":" + k.budgetUsd() + ",\"rpm\":" + k.rpm()
              + ",\"tpm\":" + k.tpm() + ",\"revoked\":" + k.revoked() + "}");
        }
        return Main.EXIT_OK;
      }
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by id.")
  static final class Revoke implements Callable<Integer> {
    @picocli.CommandLine.Parameters(index = "0", description = "key id (key_…)")
    String id;

    @Option(names = "--db-url", description = "JDBC URL")
    String dbUrl;

    @Override
    public Integer call() {
      try (Database db = open(dbUrl)) {
        boolean ok = new JdbcApiKeyStore(db).revoke(id);
        System.err.println(ok ? "revoked " + id : "no active key " + id);
        return ok ? Main.EXIT_OK : Main.EXIT_USAGE;
      }
    }
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"').toString();
  }
}
