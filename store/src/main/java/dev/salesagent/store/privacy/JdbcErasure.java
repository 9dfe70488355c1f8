package dev.salesagent.store.privacy;

import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.privacy.Erasure;
import dev.salesagent.agent.send.AddressHash;
import dev.salesagent.agent.send.SuppressionReason;
import dev.salesagent.store.Database;
import dev.salesagent.store.mail.JdbcSuppressionList;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * {@link Erasure} on the database: every table of V1–V8 (V7: draft reviews and decisions, the request log) that can hold the person's address or lead ids. Lead ids are
 * collected from {@code leads} (every tenant) plus the ids the address would have in the admins' tenant and in every
 * run owner's tenant ({@link Lead#idFor(String, String)}), so step results whose lead row is already gone are found
 * too. Ledger request ids ({@code <run>:<lead id>:<step>:<n>}) get the lead id replaced by {@code erased-<token>}:
 * costs, tasks, providers and the run prefix stay, the link to the person goes. Blocking.
 */
public final class JdbcErasure implements Erasure {
  private final Database db;
  private final JdbcSuppressionList suppression;

  public JdbcErasure(Database db, JdbcSuppressionList suppression) {
    this.db = db;
    this.suppression = suppression;
  }

  @Override
  public Report forget(String emailIn) {
    String email = AddressHash.normalise(emailIn);
    if (!Lead.EMAIL.matcher(email).matches()) throw new IllegalArgumentException("'" + emailIn + "' is not an email address");
    byte[] t = new byte[6];
    new SecureRandom().nextBytes(t);
    String token = "erased-" + HexFormat.of().formatHex(t);
    Map<String, Integer> rows = new LinkedHashMap<>();
    db.jdbi().useTransaction(h -> {
      Set<String> ids = leadIds(h, email);
      List<String> idList = List.copyOf(ids);
      rows.put("lead_results", inIds(h, "DELETE FROM lead_results WHERE lead_id IN (<ids>)", idList));
      rows.put("run_leads", inIds(h, "DELETE FROM run_leads WHERE lead_id IN (<ids>)", idList));
      rows.put("run_import_issues", h.createUpdate("DELETE FROM run_import_issues WHERE LOWER(reason) LIKE :p ESCAPE '\\'")
          .bind("p", "%" + likeEscape(email) + "%").execute());
      rows.put("email_sends", h.createUpdate("DELETE FROM email_sends WHERE recipient = :e OR lead_id IN (<ids>)")
          .bind("e", email).bindList("ids", idList).execute());
      rows.put("draft_reviews", inIds(h, "DELETE FROM draft_reviews WHERE lead_id IN (<ids>)", idList));
      rows.put("draft_decisions", inIds(h, "DELETE FROM draft_decisions WHERE lead_id IN (<ids>)", idList));
      rows.put("email_replies", inIds(h, "DELETE FROM email_replies WHERE lead_id IN (<ids>)", idList));
      rows.put("crm_push_queue", inIds(h, "DELETE FROM crm_push_queue WHERE lead_id IN (<ids>)", idList));
      rows.put("crm_pushes", h.createUpdate("DELETE FROM crm_pushes WHERE email = :e").bind("e", email).execute());
      int ledger = 0, reservations = 0, requests = 0;
      for (String id : idList) {
        String from = ":" + id + ":", to = ":" + token + ":";
        // usage_ledger is a view (V11): its rows are those of ledger_attempts and the single-attempt request_log rows
        ledger += h.createQuery("SELECT COUNT(*) FROM request_log WHERE single_attempt AND request_id LIKE :p")
            .bind("p", "%" + from + "%").mapTo(Integer.class).one();
        ledger += h.createUpdate("UPDATE ledger_attempts SET request_id = REPLACE(request_id, :from, :to) WHERE request_id LIKE :p")
            .bind("from", from).bind("to", to).bind("p", "%" + from + "%").execute();
        requests += h.createUpdate("UPDATE request_log SET request_id = REPLACE(request_id, :from, :to) WHERE request_id LIKE :p")
            .bind("from", from).bind("to", to).bind("p", "%" + from + "%").execute();
        reservations += h.createUpdate("UPDATE budget_reservations SET id = REPLACE(id, :from, :to) WHERE id LIKE :p")
            .bind("from", from).bind("to", to).bind("p", "%" + from + "%").execute();
      }
      rows.put("usage_ledger (request ids anonymised)", ledger);
      rows.put("budget_reservations (ids anonymised)", reservations);
      rows.put("request_log (request ids anonymised)", requests);
      rows.put("leads", inIds(h, "DELETE FROM leads WHERE id IN (<ids>) OR email = :e", idList, email));
      // suppression: the hash only; an earlier reason (unsubscribed, bounced) is kept
      int before = h.createQuery("SELECT COUNT(*) FROM suppression_list").mapTo(Integer.class).one();
      JdbcSuppressionList.insertEntry(h, "h:" + suppression.hash().of(email), SuppressionReason.ERASED, "leads forget");
      rows.put("suppression_list (hash added)", h.createQuery("SELECT COUNT(*) FROM suppression_list").mapTo(Integer.class).one() - before);
      db.checkpoint(h);
    });
    return new Report(token, rows);
  }

  private static Set<String> leadIds(Handle h, String email) {
    Set<String> ids = new LinkedHashSet<>(h.createQuery("SELECT id FROM leads WHERE email = :e").bind("e", email).mapTo(String.class).list());
    ids.add(Lead.idFor(email));
    for (String owner : h.createQuery("SELECT DISTINCT owner_key_id FROM pipeline_runs WHERE owner_key_id IS NOT NULL").mapTo(String.class).list()) {
      ids.add(Lead.idFor(owner, email));
    }
    for (String owner : h.createQuery("SELECT DISTINCT owner_key_id FROM leads WHERE owner_key_id IS NOT NULL").mapTo(String.class).list()) {
      ids.add(Lead.idFor(owner, email));
    }
    return ids;
  }

  private static int inIds(Handle h, String sql, List<String> ids) {
    return h.createUpdate(sql).bindList("ids", ids).execute();
  }

  private static int inIds(Handle h, String sql, List<String> ids, String email) {
    return h.createUpdate(sql).bindList("ids", ids).bind("e", email).execute();
  }

  private static String likeEscape(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
