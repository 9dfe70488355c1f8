package dev.salesagent.store.outcome;

import dev.salesagent.agent.outcome.CostPerOutcome;
import dev.salesagent.agent.outcome.Outcome;
import dev.salesagent.agent.outcome.OutcomeQueries;
import dev.salesagent.agent.qualify.Qualification;
import dev.salesagent.agent.qualify.Tier;
import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.store.Database;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link OutcomeQueries} over the usage ledger and the sales tables. Spend: for a run, the ledger rows tagged with its
 * id ({@code <run>:…}) plus the triage of replies from its leads ({@code reply:…}); for everything, the rows of lead
 * steps (request ids with {@code :L-} or, after an erasure, {@code :erased-}) and of triage. Counts: leads whose
 * qualification is hot or warm (distinct leads), approved drafts ({@code draft_reviews}), sends marked {@code sent},
 * replies triaged {@code interested}. Blocking.
 */
public final class JdbcOutcomeQueries implements OutcomeQueries {
  private final Database db;

  public JdbcOutcomeQueries(Database db) {
    this.db = db;
  }

  @Override
  public CostPerOutcome costPerOutcome(String run) {
    return db.jdbi().withHandle(h -> CostPerOutcome.of(spend(h, run), counts(h, run)));
  }

  private static List<CostPerOutcome.Spend> spend(Handle h, String run) {
    String where = run != null
        ? "u.request_id LIKE :prefix OR EXISTS (SELECT 1 FROM email_replies r JOIN run_leads rl ON rl.lead_id = r.lead_id "
            + "AND rl.run_id = :run WHERE r.request_id IS NOT NULL AND u.request_id LIKE r.request_id || ':%')"
        : "u.request_id LIKE '%:L-%' OR u.request_id LIKE '%:erased-%' OR u.request_id LIKE 'reply:%'";
    Query q = h.createQuery("SELECT u.task, u.provider, COUNT(*) AS attempts, SUM(u.cost_usd) AS cost FROM usage_ledger u WHERE "
        + where + " GROUP BY u.task, u.provider ORDER BY u.task, u.provider");
    if (run != null) q.bind("prefix", run.replace("%", "\\%").replace("_", "\\_") + ":%").bind("run", run);
    return q.map((rs, ctx) -> new CostPerOutcome.Spend(rs.getString("task"), rs.getString("provider"), rs.getLong("attempts"),
        rs.getBigDecimal("cost"))).list();
  }

  private static Map<Outcome, Long> counts(Handle h, String run) {
    Map<Outcome, Long> c = new EnumMap<>(Outcome.class);
    String runCond = run != null ? " AND run_id = :run" : "";
    Set<String> qualified = new HashSet<>();
    Query quals = h.createQuery("SELECT lead_id, result_json FROM lead_results WHERE step = 'qualify' AND status = 'done'" + runCond);
    if (run != null) quals.bind("run", run);
    quals.map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).forEach(r -> {
      Tier t = AgentJson.read(r[1], Qualification.class).tier();
      if (t == Tier.HOT || t == Tier.WARM) qualified.add(r[0]);
    });
    c.put(Outcome.QUALIFIED_LEAD, (long) qualified.size());
    c.put(Outcome.APPROVED_DRAFT, count(h, "SELECT COUNT(*) FROM draft_reviews WHERE status = 'approved'" + runCond, run));
    c.put(Outcome.SENT_EMAIL, count(h, "SELECT COUNT(*) FROM email_sends WHERE status = 'sent'" + runCond, run));
    c.put(Outcome.INTERESTED_REPLY, count(h, "SELECT COUNT(*) FROM email_replies r WHERE r.category = 'interested'"
        + (run != null ? " AND r.lead_id IN (SELECT lead_id FROM run_leads WHERE run_id = :run)" : ""), run));
    return c;
  }

  private static long count(Handle h, String sql, String run) {
    Query q = h.createQuery(sql);
    if (run != null) q.bind("run", run);
    return q.mapTo(Long.class).one();
  }
}
