package dev.salesagent.app;

import dev.salesagent.agent.crm.ContactQuery;
import dev.salesagent.agent.crm.CrmPushLog;
import dev.salesagent.agent.crm.CrmPushPlan;
import dev.salesagent.agent.crm.DraftApprovals;
import dev.salesagent.agent.crm.PullResult;
import dev.salesagent.agent.crm.PulledLeadsCsv;
import dev.salesagent.agent.crm.PushOutcome;
import dev.salesagent.agent.crm.PushRecord;
import dev.salesagent.agent.crm.PushReport;
import dev.salesagent.crm.hubspot.HubSpotClient;
import dev.salesagent.crm.hubspot.HubSpotException;
import dev.salesagent.crm.hubspot.HubSpotSync;
import dev.salesagent.agent.csv.ResultsCsvWriter;
import dev.salesagent.agent.pipeline.RunInfo;
import dev.salesagent.agent.reply.CrmPushQueue;
import dev.salesagent.store.Database;
import dev.salesagent.store.mail.JdbcReplyLog;
import dev.salesagent.store.lead.JdbiLeadRepository;
import dev.salesagent.store.crm.JdbiCrmPushLog;
import dev.salesagent.store.review.JdbiDraftStore;
import dev.salesagent.store.lead.JdbiRunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * The HubSpot sync as the CLI runs it ({@code crm pull|push}, {@code run --from hubspot --to hubspot}, the demo): a
 * Vert.x of its own for the client, the run's records read from the database, the outcome of every record printed and
 * written next to the run's results ({@code hubspot-push.csv}). Exit codes: 0 every record pushed, 3 HubSpot refused
 * or failed something (which records and why are printed).
 */
final class CrmSync {
  private CrmSync() {}

  static final String PUSH_FILE = "hubspot-push.csv";

  /** The review queue's approved drafts in this database ({@code drafts approve}, the console): what a push may carry. */
  static DraftApprovals reviewedDrafts(Database db) {
    return DraftApprovals.reviewed(new JdbiDraftStore(db));
  }

  /** The settings from {@code HUBSPOT_TOKEN} / {@code HUBSPOT_BASE_URL}, or empty after printing which variable to set. */
  static Optional<HubSpotClient.Settings> settings(String cmd, PrintStream err) {
    try {
      return Optional.of(HubSpotClient.Settings.fromEnv(RouterBoot.env()));
    } catch (IllegalArgumentException e) {
      err.println(cmd + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Pulls contacts into {@code csv} (HubSpot labels, the run's input). Exit 0, or 3 when HubSpot failed. */
  static int pull(HubSpotClient.Settings s, ContactQuery q, Path csv, String cmd, PrintStream out, PrintStream err) {
    Vertx vertx = Vertx.vertx();
    try (HubSpotClient client = new HubSpotClient(vertx, s)) {
      PullResult r = await(new HubSpotSync(client, Clock.systemUTC()).pull(q));
      for (String w : r.warnings()) err.println("  warning: " + w);
      for (String w : r.rejected()) err.println("  rejected: " + w);
      Path abs = csv.toAbsolutePath().normalize();
      if (abs.getParent() != null) Files.createDirectories(abs.getParent());
      Path tmp = Files.createTempFile(abs.getParent(), ".hubspot-contacts", ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        PulledLeadsCsv.write(w, r.leads());
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      out.printf(Locale.ROOT, "pulled %d contacts from HubSpot (%s): %d leads, %d rejected, %d cleaning warnings → %s%n",
          r.contactsRead(), s.baseUrl(), r.leads().size(), r.rejected().size(), r.warnings().size(), abs);
      return Main.EXIT_OK;
    } catch (HubSpotException e) {
      err.println(cmd + ": pull failed: " + e.describe() + hint(e));
      return Main.EXIT_UPSTREAM;
    } catch (IOException e) {
      err.println(cmd + ": cannot write " + csv + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    } finally {
      vertx.close();
    }
  }

  /** Pushes a run's results (the run of {@code runId}, else the latest that wrote to {@code outDir}). */
  static int push(Database db, String runId, Path outDir, DraftApprovals approvals, HubSpotClient.Settings s, String cmd,
      PrintStream out, PrintStream err) {
    JdbiRunStore runs = new JdbiRunStore(db);
    Optional<RunInfo> run = runId != null ? runs.findRun(runId)
        : runs.latestRunFor(outDir.toAbsolutePath().normalize().toString());
    if (run.isEmpty()) {
      err.println(cmd + ": " + (runId != null ? "no run " + runId + " in this database"
          : "no run wrote to " + outDir.toAbsolutePath().normalize() + " in this database (give --run ID or --out DIR)"));
      return Main.EXIT_USAGE;
    }
    List<PushRecord> records = CrmPushPlan.forRun(run.get().id(), runs, new JdbiLeadRepository(db), approvals);
    // Replies triaged as interested (`replies`) queued a next action for their lead: it replaces the run's own, and the
    // entry leaves the queue once HubSpot has the contact.
    CrmPushQueue queue = new JdbcReplyLog(db);
    Map<String, String> queued = queue.pending();
    records = records.stream().map(r -> queued.containsKey(r.lead().id()) ? r.withNextAction(queued.get(r.lead().id())) : r)
        .toList();
    CrmPushLog log = new JdbiCrmPushLog(db);
    Map<String, String> priorNotes = new HashMap<>();
    log.forRun(run.get().id()).forEach((email, e) -> {
      if (e.noteId() != null) priorNotes.put(email, e.noteId());
    });
    Vertx vertx = Vertx.vertx();
    try (HubSpotClient client = new HubSpotClient(vertx, s)) {
      PushReport r = await(new HubSpotSync(client, Clock.systemUTC()).push(records, priorNotes));
      log.record(run.get().id(), r.outcomes(), Clock.systemUTC().instant());
      Map<String, String> leadOfEmail = new HashMap<>();
      for (PushRecord rec : records) {
        if (queued.containsKey(rec.lead().id())) leadOfEmail.put(rec.email().toLowerCase(Locale.ROOT), rec.lead().id());
      }
      List<String> delivered = r.outcomes().stream().filter(o -> o.status() != PushOutcome.Status.FAILED)
          .map(o -> leadOfEmail.get(o.email().toLowerCase(Locale.ROOT))).filter(Objects::nonNull).toList();
      queue.pushed(delivered);
      Path file = Path.of(run.get().outDir()).resolve(PUSH_FILE);
      write(file, r);
      long drafts = records.stream().filter(x -> x.draftBody() != null).count();
      long notes = r.outcomes().stream().filter(o -> o.noteId() != null).count();
      long updated = r.outcomes().stream().filter(o -> o.noteId() != null && o.noteId().equals(priorNotes.get(o.email().toLowerCase(Locale.ROOT)))).count();
      long retried = r.outcomes().stream().filter(o -> o.retried() && o.status() != PushOutcome.Status.FAILED).count();
      out.printf(Locale.ROOT, "HubSpot push of %s (%s): %d contacts written (%d after a per-record retry), %d notes%s, "
              + "%d approved drafts, %d note failures, %d failed%s%n", run.get().id(), s.baseUrl(),
          r.count(PushOutcome.Status.PUSHED) + r.count(PushOutcome.Status.NOTE_FAILED), retried,
          notes, updated == 0 ? "" : " (" + updated + " updated in place)", drafts,
          r.count(PushOutcome.Status.NOTE_FAILED), r.count(PushOutcome.Status.FAILED),
          r.propertiesCreated().isEmpty() ? "" : "; created properties " + String.join(", ", r.propertiesCreated()));
      for (PushOutcome o : r.outcomes()) {
        if (o.status() != PushOutcome.Status.PUSHED) out.println("  " + o.wire() + " " + o.email() + ": " + o.error());
      }
      out.println("per record: " + file);
      return r.complete() ? Main.EXIT_OK : Main.EXIT_UPSTREAM;
    } catch (HubSpotException e) {
      err.println(cmd + ": push failed: " + e.describe() + hint(e));
      return Main.EXIT_UPSTREAM;
    } catch (IOException e) {
      err.println(cmd + ": cannot write the push report: " + e.getMessage());
      return Main.EXIT_USAGE;
    } finally {
      vertx.close();
    }
  }

  private static void write(Path file, PushReport r) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
         ResultsCsvWriter csv = new ResultsCsvWriter(w, List.of("Email", "Status", "Contact ID", "Note ID", "Retried", "Error"))) {
      for (PushOutcome o : r.outcomes()) {
        csv.row(List.of(o.email(), o.wire(), nz(o.contactId()), nz(o.noteId()), Boolean.toString(o.retried()), nz(o.error())));
      }
    }
  }

  private static String hint(HubSpotException e) {
    return e.status() == 401 || e.status() == 403 ? " (check HUBSPOT_TOKEN: a private-app token with the contact scopes)" : "";
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  static <T> T await(Future<T> f) throws HubSpotException {
    try {
      return f.toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubSpotException(dev.salesagent.router.error.ErrorKind.INTERRUPTED, 0, null, "interrupted", null);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HubSpotException h) throw h;
      throw new IllegalStateException(Failures.describe(e.getCause()), e.getCause());
    }
  }
}
