package dev.salesagent.store.lead;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.csv.ImportIssue;
import dev.salesagent.agent.pipeline.RunInfo;
import dev.salesagent.agent.pipeline.RunStore;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.pipeline.StepRecord;
import dev.salesagent.agent.pipeline.StepStatus;
import dev.salesagent.store.Database;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link RunStore} on {@code pipeline_runs}, {@code run_leads}, {@code run_import_issues} and {@code lead_results} (V3;
 * a run's owner and key V5). Blocking.
 */
public final class JdbiRunStore implements RunStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};
  private final Jdbi jdbi;

  public JdbiRunStore(Database db) {
    this.jdbi = db.jdbi();
  }

  private static OffsetDateTime ts(Instant i) {
    return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void createRun(RunInfo r) {
    jdbi.useHandle(h -> createRun(h, r));
  }

  static void createRun(Handle h, RunInfo r) {
    h.createUpdate("INSERT INTO pipeline_runs (id, out_dir, input_path, steps, concurrency, status, "
            + "input_columns, started_at, finished_at, owner_key_id, api_key_id) VALUES (:id, :out, :input, :steps, :conc, "
            + ":status, :cols, :started, :finished, :owner, :key)")
        .bindByType("owner", r.actor().owner(), String.class).bindByType("key", r.actor().keyId(), String.class)
        .bind("id", r.id()).bind("out", r.outDir()).bindByType("input", r.inputPath(), String.class).bind("steps", r.steps())
        .bind("conc", r.concurrency()).bind("status", r.status()).bind("cols", json(r.inputColumns()))
        .bind("started", ts(r.startedAt())).bindByType("finished", ts(r.finishedAt()), OffsetDateTime.class).execute();
  }

  @Override
  public Optional<RunInfo> findRun(String runId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM pipeline_runs WHERE id = :id").bind("id", runId)
        .map(JdbiRunStore::mapRun).findOne());
  }

  @Override
  public Optional<RunInfo> latestRunFor(String outDir) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM pipeline_runs WHERE out_dir = :out ORDER BY started_at DESC, id DESC LIMIT 1")
        .bind("out", outDir).map(JdbiRunStore::mapRun).findOne());
  }

  @Override
  public List<RunInfo> runs(Actor actor, int limit) {
    String where = actor.admin() ? "" : " WHERE owner_key_id = :owner";
    return jdbi.withHandle(h -> {
      var q = h.createQuery("SELECT * FROM pipeline_runs" + where + " ORDER BY started_at DESC, id DESC LIMIT :limit")
          .bind("limit", limit);
      if (!actor.admin()) q.bind("owner", actor.keyId());
      return q.map(JdbiRunStore::mapRun).list();
    });
  }

  @Override
  public void updateRun(RunInfo r) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE pipeline_runs SET status = :status, steps = :steps, concurrency = :conc, "
            + "finished_at = :finished WHERE id = :id")
        .bind("id", r.id()).bind("status", r.status()).bind("steps", r.steps()).bind("conc", r.concurrency())
        .bindByType("finished", ts(r.finishedAt()), OffsetDateTime.class).execute());
  }

  static RunInfo mapRun(ResultSet rs, StatementContext ctx) throws SQLException {
    List<String> cols;
    try {
      cols = JSON.readValue(rs.getString("input_columns"), LIST);
    } catch (Exception e) {
      throw new SQLException("unreadable input_columns of run " + rs.getString("id"), e);
    }
    String owner = rs.getString("owner_key_id");
    String key = rs.getString("api_key_id");
    // owner NULL = the admins' run (every run before V5 too); a client's run is charged to and owned by its key
    Actor actor = owner == null ? new Actor(key, true) : Actor.client(owner);
    return new RunInfo(rs.getString("id"), rs.getString("out_dir"), rs.getString("input_path"), rs.getString("steps"),
        rs.getInt("concurrency"), rs.getString("status"), cols, instant(rs, "started_at"), instant(rs, "finished_at"), actor);
  }

  @Override
  public void addRunLeads(String runId, List<RunLead> leads) {
    if (leads.isEmpty()) return;
    jdbi.useTransaction(h -> addRunLeads(h, runId, leads));
  }

  static void addRunLeads(Handle h, String runId, List<RunLead> leads) {
    if (leads.isEmpty()) return;
    {
      var b = h.prepareBatch("INSERT INTO run_leads (run_id, lead_id, pos, raw_json) VALUES (:run, :lead, :pos, :raw)");
      for (RunLead l : leads) {
        b.bind("run", runId).bind("lead", l.leadId()).bind("pos", l.position())
            .bindByType("raw", l.raw() == null ? null : json(l.raw()), String.class).add();
      }
      b.execute();
    }
  }

  @Override
  public List<RunLead> runLeads(String runId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT lead_id, pos, raw_json FROM run_leads WHERE run_id = :run ORDER BY pos")
        .bind("run", runId).map((rs, ctx) -> {
          String raw = rs.getString("raw_json");
          Map<String, String> m;
          try {
            m = raw == null ? Map.of() : JSON.readValue(raw, MAP);
          } catch (Exception e) {
            throw new SQLException("unreadable raw_json", e);
          }
          return new RunLead(rs.getString("lead_id"), rs.getInt("pos"), m);
        }).list());
  }

  @Override
  public void addIssues(String runId, List<ImportIssue> issues) {
    if (issues.isEmpty()) return;
    jdbi.useTransaction(h -> addIssues(h, runId, issues));
  }

  static void addIssues(Handle h, String runId, List<ImportIssue> issues) {
    if (issues.isEmpty()) return;
    {
      int seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM run_import_issues WHERE run_id = :run").bind("run", runId)
          .mapTo(Integer.class).one();
      var b = h.prepareBatch("INSERT INTO run_import_issues (run_id, seq, line_no, severity, reason) VALUES (:run, :seq, :line, :sev, :reason)");
      for (ImportIssue i : issues) {
        String reason = i.reason().length() > 2000 ? i.reason().substring(0, 2000) : i.reason();
        b.bind("run", runId).bind("seq", ++seq).bind("line", i.line()).bind("sev", i.severity()).bind("reason", reason).add();
      }
      b.execute();
    }
  }

  @Override
  public List<ImportIssue> issues(String runId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT line_no, severity, reason FROM run_import_issues WHERE run_id = :run ORDER BY seq")
        .bind("run", runId).map((rs, ctx) -> new ImportIssue(rs.getLong("line_no"), rs.getString("severity"), rs.getString("reason"))).list());
  }

  @Override
  public void saveStep(StepRecord r) {
    jdbi.useTransaction(h -> {
      int n = bindStep(h.createUpdate("UPDATE lead_results SET status = :status, result_json = :result, prompt_version = :prompt, "
          + "provider = :provider, model = :model, cost_usd = :cost, calls = :calls, latency_ms = :latency, fallbacks = :fallbacks, "
          + "error = :error, started_at = :started, finished_at = :finished WHERE run_id = :run AND lead_id = :lead AND step = :step"), r)
          .execute();
      if (n == 0) {
        bindStep(h.createUpdate("INSERT INTO lead_results (run_id, lead_id, step, status, result_json, prompt_version, provider, "
            + "model, cost_usd, calls, latency_ms, fallbacks, error, started_at, finished_at) VALUES (:run, :lead, :step, :status, "
            + ":result, :prompt, :provider, :model, :cost, :calls, :latency, :fallbacks, :error, :started, :finished)"), r).execute();
      }
    });
  }

  private static org.jdbi.v3.core.statement.Update bindStep(org.jdbi.v3.core.statement.Update u, StepRecord r) {
    return u.bind("run", r.runId()).bind("lead", r.leadId()).bind("step", r.step().wire()).bind("status", r.status().wire())
        .bindByType("result", r.resultJson(), String.class).bindByType("prompt", r.promptVersion(), String.class)
        .bindByType("provider", r.provider(), String.class).bindByType("model", r.model(), String.class)
        .bind("cost", BigDecimal.valueOf(r.costUsd())).bind("calls", r.calls()).bind("latency", r.latencyMs())
        .bind("fallbacks", r.fallbacks()).bindByType("error", r.error(), String.class)
        .bind("started", ts(r.startedAt() == null ? Instant.now() : r.startedAt()))
        .bindByType("finished", ts(r.finishedAt()), OffsetDateTime.class);
  }

  static StepRecord mapStep(ResultSet rs, StatementContext ctx) throws SQLException {
    return new StepRecord(rs.getString("run_id"), rs.getString("lead_id"), Step.fromWire(rs.getString("step")),
        StepStatus.fromWire(rs.getString("status")), rs.getString("result_json"), rs.getString("prompt_version"),
        rs.getString("provider"), rs.getString("model"), rs.getBigDecimal("cost_usd").doubleValue(), rs.getInt("calls"),
        rs.getLong("latency_ms"), rs.getInt("fallbacks"), rs.getString("error"), instant(rs, "started_at"), instant(rs, "finished_at"));
  }

  @Override
  public Map<String, StepRecord> steps(String runId) {
    Map<String, StepRecord> out = new LinkedHashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT * FROM lead_results WHERE run_id = :run").bind("run", runId)
        .map(JdbiRunStore::mapStep).forEach(r -> out.put(r.key(), r)));
    return out;
  }

  @Override
  public Map<String, StepRecord> leadSteps(String runId, String leadId) {
    Map<String, StepRecord> out = new LinkedHashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT * FROM lead_results WHERE run_id = :run AND lead_id = :lead").bind("run", runId)
        .bind("lead", leadId).map(JdbiRunStore::mapStep).forEach(r -> out.put(r.key(), r)));
    return out;
  }

  @Override
  public Optional<StepRecord> latestStep(String leadId, Step step) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM lead_results WHERE lead_id = :lead AND step = :step "
            + "AND status <> 'running' ORDER BY started_at DESC LIMIT 1")
        .bind("lead", leadId).bind("step", step.wire()).map(JdbiRunStore::mapStep).findOne());
  }
}
