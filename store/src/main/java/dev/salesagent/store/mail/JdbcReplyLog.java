package dev.salesagent.store.mail;

import dev.salesagent.agent.reply.CrmPushQueue;
import dev.salesagent.agent.reply.ReplyLog;
import dev.salesagent.store.Database;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ReplyLog} on {@code email_replies} and {@link CrmPushQueue} on {@code crm_push_queue} (V8). Blocking. */
public final class JdbcReplyLog implements ReplyLog, CrmPushQueue {
  private final Database db;

  public JdbcReplyLog(Database db) {
    this.db = db;
  }

  @Override
  public Optional<String> leadForSend(List<String> ids) {
    if (ids.isEmpty()) return Optional.empty();
    return db.jdbi().withHandle(h -> h.createQuery("SELECT lead_id FROM email_sends WHERE message_id IN (<ids>)")
        .bindList("ids", ids).mapTo(String.class).findFirst());
  }

  @Override
  public Optional<String> recipientOfSend(List<String> ids) {
    if (ids.isEmpty()) return Optional.empty();
    return db.jdbi().withHandle(h -> h.createQuery("SELECT recipient FROM email_sends WHERE message_id IN (<ids>)")
        .bindList("ids", ids).mapTo(String.class).findFirst());
  }

  @Override
  public List<String> leadsForEmail(String email) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM leads WHERE email = :e ORDER BY id")
        .bind("e", email).mapTo(String.class).list());
  }

  @Override
  public boolean seen(String replyId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM email_replies WHERE id = :id")
        .bind("id", replyId).mapTo(Integer.class).one()) > 0;
  }

  @Override
  public void save(Stored r) {
    var t = r.triage();
    db.jdbi().useHandle(h -> {
      h.createUpdate("INSERT INTO email_replies (id, lead_id, in_reply_to, category, evidence, decided_by, request_id, provider, "
              + "model, cost_usd, received_at) VALUES (:id, :lead, :irt, :cat, :ev, :by, :rid, :prov, :model, :cost, :at)")
          .bind("id", r.id()).bindByType("lead", r.leadIdOrNull(), String.class)
          .bindByType("irt", r.inReplyTo() == null ? null : cut(r.inReplyTo(), 255), String.class)
          .bind("cat", t.category().wire()).bindByType("ev", t.evidence() == null ? null : cut(t.evidence(), 2000), String.class)
          .bind("by", t.decidedBy()).bindByType("rid", t.requestId(), String.class).bindByType("prov", t.provider(), String.class)
          .bindByType("model", t.model(), String.class).bind("cost", BigDecimal.valueOf(t.costUsd()))
          .bind("at", JdbcSendLog.ts(r.receivedAt())).execute();
      db.checkpoint(h);
    });
  }

  @Override
  public void queue(String leadId, String nextAction, String reason) {
    db.jdbi().useTransaction(h -> {
      h.createUpdate("DELETE FROM crm_push_queue WHERE lead_id = :l").bind("l", leadId).execute();
      h.createUpdate("INSERT INTO crm_push_queue (lead_id, next_action, reason, queued_at) VALUES (:l, :a, :r, :at)")
          .bind("l", leadId).bind("a", nextAction).bindByType("r", reason == null ? null : cut(reason, 2000), String.class)
          .bind("at", JdbcSendLog.ts(Instant.now())).execute();
      db.checkpoint(h);
    });
  }

  @Override
  public Map<String, String> pending() {
    return db.jdbi().withHandle(h -> {
      Map<String, String> m = new LinkedHashMap<>();
      h.createQuery("SELECT lead_id, next_action FROM crm_push_queue ORDER BY queued_at")
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(e -> m.put(e.getKey(), e.getValue()));
      return m;
    });
  }

  @Override
  public void pushed(Collection<String> leadIds) {
    if (leadIds.isEmpty()) return;
    db.jdbi().useTransaction(h -> {
      h.createUpdate("DELETE FROM crm_push_queue WHERE lead_id IN (<ids>)").bindList("ids", List.copyOf(leadIds)).execute();
      db.checkpoint(h);
    });
  }

  private static String cut(String s, int n) {
    return s.length() > n ? s.substring(0, n) : s;
  }
}
