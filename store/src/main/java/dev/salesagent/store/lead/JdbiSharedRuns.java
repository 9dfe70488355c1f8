package dev.salesagent.store.lead;

import dev.salesagent.agent.csv.ImportIssue;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.pipeline.RunInfo;
import dev.salesagent.agent.pipeline.RunStore;
import dev.salesagent.agent.pipeline.SharedRuns;
import dev.salesagent.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link SharedRuns} on {@code run_leads}' lease columns (V9). A claim is {@code SELECT … FOR UPDATE SKIP LOCKED} (two
 * workers claiming at once take different leads, neither waits) and an update in one transaction; lease times come
 * from the database's {@code CURRENT_TIMESTAMP}, so the workers' clocks do not matter. On H2 the claim locks with a
 * plain {@code FOR UPDATE}: a shared run there is one worker's. Blocking.
 */
public final class JdbiSharedRuns implements SharedRuns {
  private final Jdbi jdbi;
  private final String lockClause;

  public JdbiSharedRuns(Database db) {
    this.jdbi = db.jdbi();
    this.lockClause = db.isPostgres() ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE";
  }

  @Override
  public boolean importRun(RunInfo run, List<ImportIssue> issues, String owner, List<Lead> leads, List<RunStore.RunLead> runLeads) {
    try {
      jdbi.useTransaction(h -> {
        // the run's row first: a second worker's insert of the same id waits here for this transaction, then fails
        JdbiRunStore.createRun(h, run);
        JdbiRunStore.addIssues(h, run.id(), issues);
        for (int from = 0; from < leads.size(); from += 500) {
          JdbiLeadRepository.upsert(h, owner, leads.subList(from, Math.min(leads.size(), from + 500)));
        }
        for (int from = 0; from < runLeads.size(); from += 500) {
          JdbiRunStore.addRunLeads(h, run.id(), runLeads.subList(from, Math.min(runLeads.size(), from + 500)));
        }
      });
      return true;
    } catch (RuntimeException e) {
      // a duplicate key (another worker's import committed first), or a real fault: the run's row tells which
      if (exists(run.id())) return false;
      throw e;
    }
  }

  private boolean exists(String runId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM pipeline_runs WHERE id = :id").bind("id", runId)
        .mapTo(Integer.class).one()) > 0;
  }

  private static OffsetDateTime dbNow(Handle h) {
    return h.createQuery("SELECT CURRENT_TIMESTAMP").mapTo(OffsetDateTime.class).one();
  }

  @Override
  public Optional<String> claim(String runId, String worker, Duration lease) {
    return jdbi.inTransaction(h -> {
      OffsetDateTime now = dbNow(h);
      Optional<String> lead = h.createQuery("SELECT lead_id FROM run_leads WHERE run_id = :run AND done = FALSE "
              + "AND (lease_until IS NULL OR lease_until < :now) ORDER BY pos LIMIT 1" + lockClause)
          .bind("run", runId).bind("now", now).mapTo(String.class).findOne();
      lead.ifPresent(id -> h.createUpdate("UPDATE run_leads SET lease_owner = :w, lease_until = :until "
              + "WHERE run_id = :run AND lead_id = :lead")
          .bind("w", worker).bind("until", now.plus(lease)).bind("run", runId).bind("lead", id).execute());
      return lead;
    });
  }

  @Override
  public boolean holds(String runId, String leadId, String worker, Duration lease) {
    return jdbi.inTransaction(h -> h.createUpdate("UPDATE run_leads SET lease_until = :until WHERE run_id = :run "
            + "AND lead_id = :lead AND lease_owner = :w AND done = FALSE")
        .bind("until", dbNow(h).plus(lease)).bind("run", runId).bind("lead", leadId).bind("w", worker).execute()) == 1;
  }

  @Override
  public int renew(String runId, String worker, Duration lease) {
    return jdbi.inTransaction(h -> h.createUpdate("UPDATE run_leads SET lease_until = :until WHERE run_id = :run "
            + "AND lease_owner = :w AND done = FALSE")
        .bind("until", dbNow(h).plus(lease)).bind("run", runId).bind("w", worker).execute());
  }

  @Override
  public void complete(String runId, String leadId, String worker) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE run_leads SET done = TRUE, lease_owner = NULL, lease_until = NULL "
            + "WHERE run_id = :run AND lead_id = :lead AND lease_owner = :w")
        .bind("run", runId).bind("lead", leadId).bind("w", worker).execute());
  }

  @Override
  public void release(String runId, String leadId, String worker) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE run_leads SET lease_owner = NULL, lease_until = NULL "
            + "WHERE run_id = :run AND lead_id = :lead AND lease_owner = :w")
        .bind("run", runId).bind("lead", leadId).bind("w", worker).execute());
  }

  @Override
  public int remaining(String runId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM run_leads WHERE run_id = :run AND done = FALSE")
        .bind("run", runId).mapTo(Integer.class).one());
  }

  @Override
  public void reopen(String runId) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE run_leads SET done = FALSE WHERE run_id = :run").bind("run", runId).execute());
  }

  @Override
  public void rejoin(String runId) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE pipeline_runs SET status = 'running', finished_at = NULL "
        + "WHERE id = :id AND status = 'interrupted'").bind("id", runId).execute());
  }

  @Override
  public RunInfo completed(String runId, Instant now) {
    return finish(runId, "completed", "status <> 'completed'", now);
  }

  @Override
  public RunInfo interrupted(String runId, Instant now) {
    return finish(runId, "interrupted", "status = 'running'", now);
  }

  private RunInfo finish(String runId, String status, String unless, Instant now) {
    return jdbi.inTransaction(h -> {
      h.createUpdate("UPDATE pipeline_runs SET status = :s, finished_at = :at WHERE id = :id AND " + unless)
          .bind("s", status).bind("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).bind("id", runId).execute();
      return h.createQuery("SELECT * FROM pipeline_runs WHERE id = :id").bind("id", runId).map(JdbiRunStore::mapRun).one();
    });
  }
}
