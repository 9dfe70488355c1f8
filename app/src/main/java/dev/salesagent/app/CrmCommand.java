package dev.salesagent.app;

import dev.salesagent.agent.crm.ContactQuery;
import dev.salesagent.crm.hubspot.HubSpotClient;
import dev.salesagent.store.Database;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crm pull [--lifecycle-stage S] [--created-after DATE] [--max N] [--out FILE]} and
 * {@code crm push [--run ID | --out DIR]}: HubSpot sync ({@code HUBSPOT_TOKEN}, {@code HUBSPOT_BASE_URL}). Exit 0 ok,
 * 2 usage error (also: {@code HUBSPOT_TOKEN} not set, no such run), 3 HubSpot refused or failed (every record's outcome
 * is printed).
 */
@Command(name = "crm", mixinStandardHelpOptions = true, description = "Sync with HubSpot: pull contacts as leads, push a run's results.",
    subcommands = {CrmCommand.Pull.class, CrmCommand.Push.class})
final class CrmCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(RouterBoot.utf8Err());
  }

  /** {@code 2026-01-31}; anything else is a usage error that says what a date looks like. */
  static final class IsoDate implements picocli.CommandLine.ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      try {
        return LocalDate.parse(value.strip());
      } catch (java.time.DateTimeException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a date (YYYY-MM-DD)");
      }
    }
  }

  @Command(name = "pull", mixinStandardHelpOptions = true,
      description = "Read HubSpot contacts (search API) into a leads CSV with HubSpot's labels, contact data cleaned.")
  static final class Pull implements Callable<Integer> {
    @Option(names = "--lifecycle-stage", paramLabel = "S", description = "only contacts in this lifecycle stage (internal value, e.g. lead, marketingqualifiedlead)")
    String lifecycleStage;

    @Option(names = "--created-after", paramLabel = "DATE", converter = IsoDate.class,
        description = "only contacts created on or after this day (YYYY-MM-DD, UTC)")
    LocalDate createdAfter;

    @Option(names = "--max", paramLabel = "N", defaultValue = "0", description = "read at most N contacts (default: all, HubSpot's search stops at 10,000)")
    int max;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "hubspot-contacts.csv", description = "CSV to write (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
      PrintStream err = RouterBoot.utf8Err();
      Optional<HubSpotClient.Settings> s = CrmSync.settings("crm pull", err);
      if (s.isEmpty()) return Main.EXIT_USAGE;
      ContactQuery q;
      try {
        q = new ContactQuery(lifecycleStage, createdAfter, max);
      } catch (IllegalArgumentException e) {
        err.println("crm pull: " + e.getMessage());
        return Main.EXIT_USAGE;
      }
      return CrmSync.pull(s.get(), q, out, "crm pull", RouterBoot.utf8Out(), err);
    }
  }

  @Command(name = "push", mixinStandardHelpOptions = true,
      description = "Write a run's results to HubSpot: contacts upserted by email with score, tier, tier reason, next "
          + "action and the approved draft; the research brief as a note on the contact.")
  static final class Push implements Callable<Integer> {
    @Option(names = "--run", paramLabel = "ID", description = "the run to push (default: the latest run that wrote to --out)")
    String runId;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "the run's output directory when --run is not given (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
      PrintStream err = RouterBoot.utf8Err();
      Optional<HubSpotClient.Settings> s = CrmSync.settings("crm push", err);
      if (s.isEmpty()) return Main.EXIT_USAGE;
      Database db;
      try {
        db = Database.open(RunCommand.durable(RouterBoot.env().get("SALES_AGENT_DB_URL")));
      } catch (RuntimeException e) {
        err.println("crm push: " + Failures.describe(e));
        return Main.EXIT_USAGE;
      }
      try (db) {
        // Only drafts approved in the review queue (drafts approve, the console) are pushed, as the reviewer left them.
        return CrmSync.push(db, runId, out, CrmSync.reviewedDrafts(db), s.get(), "crm push", RouterBoot.utf8Out(), err);
      }
    }
  }
}
