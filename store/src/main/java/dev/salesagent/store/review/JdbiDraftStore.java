package dev.salesagent.store.review;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.qualify.Tier;
import dev.salesagent.agent.review.Decision;
import dev.salesagent.agent.review.Draft;
import dev.salesagent.agent.review.DraftId;
import dev.salesagent.agent.review.DraftStatus;
import dev.salesagent.agent.review.DraftStore;
import dev.salesagent.agent.schema.AgentJson;
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
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link DraftStore} over {@code lead_results} (the outreach records are the drafts), {@code leads} (the tenant),
 * {@code draft_reviews} and {@code draft_decisions} (V7). A review counts only for the draft version it was made on
 * ({@code draft_at} = the record's {@code finished_at}). Pages by keyset on (finished_at, run_id, lead_id) descending,
 * never by offset (index {@code lead_results_drafts}). Blocking.
 */
public final class JdbiDraftStore implements DraftStore {
  private static final String SELECT = "SELECT d.run_id, d.lead_id, d.finished_at, d.result_json, d.provider, d.model,"
      + " d.cost_usd, q.result_json AS qual_json, l.owner_key_id, l.email, l.first_name, l.last_name, l.company,"
      + " l.job_title, r.status AS review_status, r.draft_json, r.reason, r.decided_by, r.decided_admin, r.decided_at"
      + " FROM lead_results d JOIN leads l ON l.id = d.lead_id"
      + " LEFT JOIN lead_results q ON q.run_id = d.run_id AND q.lead_id = d.lead_id AND q.step = 'qualify' AND q.status = 'done'"
      + " LEFT JOIN draft_reviews r ON r.run_id = d.run_id AND r.lead_id = d.lead_id AND r.draft_at = d.finished_at"
      + " WHERE d.step = 'outreach' AND d.status = 'done'";
  private final Jdbi jdbi;
  private final Database db;

  public JdbiDraftStore(Database db) {
    this.db = db;
    this.jdbi = db.jdbi();
  }

  @Override
  public List<Draft> page(Actor who, DraftQuery query, Cursor cursor, int limit) {
    StringBuilder sql = new StringBuilder(SELECT);
    Map<String, Object> binds = new LinkedHashMap<>();
    tenant(who, sql, binds);
    if (query != null && query.runId() != null) {
      sql.append(" AND d.run_id = :run");
      binds.put("run", query.runId());
    }
    if (query != null && query.status() != null) {
      sql.append(query.status() == DraftStatus.PENDING ? " AND (r.status IS NULL OR r.status = 'pending')" : " AND r.status = :status");
      if (query.status() != DraftStatus.PENDING) binds.put("status", query.status().wire());
    }
    if (cursor != null) {
      // the first conjunct is the index range; the rest breaks ties within one instant
      sql.append(" AND d.finished_at <= :ct AND (d.finished_at < :ct OR d.run_id < :cr OR (d.run_id = :cr AND d.lead_id < :cl))");
      binds.put("ct", ts(cursor.draftedAt()));
      binds.put("cr", cursor.runId());
      binds.put("cl", cursor.leadId());
    }
    sql.append(" ORDER BY d.finished_at DESC, d.run_id DESC, d.lead_id DESC LIMIT ").append(Math.max(1, limit));
    return jdbi.withHandle(h -> {
      Query q = h.createQuery(sql.toString());
      binds.forEach(q::bind);
      return q.map((rs, ctx) -> draft(rs)).list();
    });
  }

  @Override
  public Optional<Draft> find(Actor who, DraftId id) {
    StringBuilder sql = new StringBuilder(SELECT).append(" AND d.run_id = :run AND d.lead_id = :lead");
    Map<String, Object> binds = new LinkedHashMap<>();
    binds.put("run", id.runId());
    binds.put("lead", id.leadId());
    tenant(who, sql, binds);
    return jdbi.withHandle(h -> {
      Query q = h.createQuery(sql.toString());
      binds.forEach(q::bind);
      return q.map((rs, ctx) -> draft(rs)).findOne();
    });
  }

  @Override
  public Optional<String> researchJson(DraftId id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT result_json FROM lead_results WHERE run_id = :run AND lead_id = :lead"
            + " AND step = 'research' AND status = 'done'").bind("run", id.runId()).bind("lead", id.leadId())
        .mapTo(String.class).findOne());
  }

  @Override
  public boolean decide(Draft draft, DraftStatus status, String editedJsonOrNull, Decision d) {
    return jdbi.withHandle(hh -> {
      boolean done = hh.inTransaction(h -> decideIn(h, draft, status, editedJsonOrNull, d));
      if (done) db.checkpoint(hh); // a decision is what a send relies on: on disk before it is acknowledged
      return done;
    });
  }

  private static boolean decideIn(org.jdbi.v3.core.Handle h, Draft draft, DraftStatus status, String editedJsonOrNull,
                                  Decision d) {
    DraftId id = draft.id();
    {
      // the draft must still be the version reviewed, in the state the decision was made on
      // (FOR UPDATE: two reviewers deciding at once are serialised on the draft's row)
      boolean current = h.createQuery("SELECT lead_id FROM lead_results WHERE run_id = :run AND lead_id = :lead"
              + " AND step = 'outreach' AND status = 'done' AND finished_at = :at FOR UPDATE")
          .bind("run", id.runId()).bind("lead", id.leadId()).bind("at", ts(draft.draftedAt())).mapTo(String.class)
          .findOne().isPresent();
      if (!current) return false;
      String now = h.createQuery("SELECT status FROM draft_reviews WHERE run_id = :run AND lead_id = :lead AND draft_at = :at")
          .bind("run", id.runId()).bind("lead", id.leadId()).bind("at", ts(draft.draftedAt())).mapTo(String.class)
          .findOne().orElse(DraftStatus.PENDING.wire());
      if (!now.equals(draft.status().wire())) return false;
      int n = bindReview(h.createUpdate("UPDATE draft_reviews SET draft_at = :at, status = :status, draft_json = :json,"
          + " reason = :reason, decided_by = :by, decided_admin = :admin, decided_at = :decided"
          + " WHERE run_id = :run AND lead_id = :lead"), draft, status, editedJsonOrNull, d).execute();
      if (n == 0) {
        bindReview(h.createUpdate("INSERT INTO draft_reviews (run_id, lead_id, draft_at, status, draft_json, reason,"
            + " decided_by, decided_admin, decided_at) VALUES (:run, :lead, :at, :status, :json, :reason, :by, :admin,"
            + " :decided)"), draft, status, editedJsonOrNull, d).execute();
      }
      h.createUpdate("INSERT INTO draft_decisions (run_id, lead_id, draft_at, at, actor_key_id, actor_admin, action,"
              + " before_subject, before_body, after_subject, after_body, reason) VALUES (:run, :lead, :draftAt, :at, :by,"
              + " :admin, :action, :bs, :bb, :as, :ab, :reason)")
          .bind("run", id.runId()).bind("lead", id.leadId()).bind("draftAt", ts(draft.draftedAt())).bind("at", ts(d.at()))
          .bindByType("by", d.actorKeyId(), String.class).bind("admin", d.actorAdmin()).bind("action", d.action().wire())
          .bindByType("bs", d.beforeSubject(), String.class).bindByType("bb", d.beforeBody(), String.class)
          .bindByType("as", d.afterSubject(), String.class).bindByType("ab", d.afterBody(), String.class)
          .bindByType("reason", d.reason(), String.class).execute();
      return true;
    }
  }

  private static org.jdbi.v3.core.statement.Update bindReview(org.jdbi.v3.core.statement.Update u, Draft draft,
      DraftStatus status, String json, Decision d) {
    return u.bind("run", draft.id().runId()).bind("lead", draft.id().leadId()).bind("at", ts(draft.draftedAt()))
        .bind("status", status.wire()).bindByType("json", json, String.class).bindByType("reason", d.reason(), String.class)
        .bindByType("by", d.actorKeyId(), String.class).bind("admin", d.actorAdmin()).bind("decided", ts(d.at()));
  }

  @Override
  public List<Decision> decisions(DraftId id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM draft_decisions WHERE run_id = :run AND lead_id = :lead ORDER BY id")
        .bind("run", id.runId()).bind("lead", id.leadId())
        .map((rs, ctx) -> new Decision(Decision.Action.fromWire(rs.getString("action")), instant(rs, "at"),
            rs.getString("actor_key_id"), rs.getBoolean("actor_admin"), rs.getString("before_subject"),
            rs.getString("before_body"), rs.getString("after_subject"), rs.getString("after_body"), rs.getString("reason")))
        .list());
  }

  private static void tenant(Actor who, StringBuilder sql, Map<String, Object> binds) {
    if (who.admin()) return;
    sql.append(" AND l.owner_key_id = :owner");
    binds.put("owner", who.keyId());
  }

  private static Draft draft(ResultSet rs) throws SQLException {
    DraftId id = new DraftId(rs.getString("run_id"), rs.getString("lead_id"));
    String review = rs.getString("review_status");
    String edited = rs.getString("draft_json");
    BigDecimal cost = rs.getBigDecimal("cost_usd");
    Draft.Review rv = review == null ? null
        : new Draft.Review(rs.getString("decided_by"), rs.getBoolean("decided_admin"), instant(rs, "decided_at"), rs.getString("reason"));
    return new Draft(id, rs.getString("owner_key_id"),
        new Draft.LeadSummary(rs.getString("email"), rs.getString("first_name"), rs.getString("last_name"),
            rs.getString("company"), rs.getString("job_title")),
        tier(rs.getString("qual_json")), review == null ? DraftStatus.PENDING : DraftStatus.fromWire(review),
        instant(rs, "finished_at"), rs.getString("provider"), rs.getString("model"), cost == null ? 0 : cost.doubleValue(),
        AgentJson.read(rs.getString("result_json"), OutreachDraft.class),
        edited == null ? null : AgentJson.read(edited, OutreachDraft.class), rv);
  }

  private static Tier tier(String qualificationJson) {
    if (qualificationJson == null) return null;
    try {
      String t = AgentJson.MAPPER.readTree(qualificationJson).path("tier").asText(null);
      return t == null ? null : Tier.fromWire(t);
    } catch (Exception e) {
      return null; // an unreadable qualification does not hide its draft
    }
  }

  private static OffsetDateTime ts(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
