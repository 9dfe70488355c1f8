package dev.salesagent.store.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.send.SendRecord;
import dev.salesagent.agent.send.SendStatus;
import dev.salesagent.agent.send.SuppressionReason;
import dev.salesagent.store.Database;
import dev.salesagent.store.lead.JdbiLeadRepository;
import dev.salesagent.store.mail.JdbcSendLog;
import dev.salesagent.store.mail.JdbcSuppressionList;
import dev.salesagent.store.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code leads forget}: after it, no column of any table holds the address (in any case) or one of the person's lead
 * ids; another person's rows are untouched; the ledger's cost is unchanged; the suppression list holds the hash.
 * The check reads the database's own catalogue, so a table added later that keeps the address fails it.
 */
class JdbcErasureTest {
  static final String EMAIL = "dana.reyes@orbit.example";
  static final String OTHER = "sam@orbit.example";

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void forgetRemovesThePersonFromEveryTableAndKeepsCostsAndAHash(TestDatabases.Kind kind) {
    try (Database db = Database.open(kind.newUrl("erasure"))) {
      var leads = new JdbiLeadRepository(db);
      Lead dana = new Lead(null, "Dana", "Reyes", "Dana.Reyes@Orbit.example", "Orbit", "VP Sales", null, null, null, null, null, "notes");
      Lead danaClient = new Lead(Lead.idFor("key_client", EMAIL), "Dana", "Reyes", EMAIL, "Orbit", null, null, null, null, null, null, null);
      Lead sam = Lead.of("Sam", "Lee", OTHER, "Orbit", "CTO");
      leads.upsert(null, List.of(dana, sam));
      leads.upsert("key_client", List.of(danaClient));
      var sends = new JdbcSendLog(db);
      var suppression = new JdbcSuppressionList(db);
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      db.jdbi().useHandle(h -> {
        for (Lead l : List.of(dana, sam, danaClient)) {
          String run = l == danaClient ? "r-client" : "r1";
          h.execute("INSERT INTO pipeline_runs (id, out_dir, steps, concurrency, status, input_columns, started_at, owner_key_id) "
              + "SELECT ?, '/out', 'qualify', 1, 'done', '[]', ?, ? WHERE NOT EXISTS (SELECT 1 FROM pipeline_runs WHERE id = ?)",
              run, now, l == danaClient ? "key_client" : null, run);
          h.execute("INSERT INTO run_leads (run_id, lead_id, pos, raw_json) VALUES (?, ?, 1, ?)", run, l.id(), "{\"Email\":\"" + l.email() + "\"}");
          h.execute("INSERT INTO lead_results (run_id, lead_id, step, status, result_json, cost_usd, calls, latency_ms, fallbacks, started_at) "
              + "VALUES (?, ?, 'outreach', 'done', ?, 0.01, 1, 5, 0, ?)", run, l.id(), "{\"body\":\"Hi " + l.firstName() + "\"}", now);
          // the ledger as its writer leaves it (V11): a request retried once has its attempts in ledger_attempts, a
          // request answered at the first attempt is one request_log row (below) that the usage_ledger view shows
          for (int attempt = 1; attempt <= 2; attempt++) {
            h.execute("INSERT INTO ledger_attempts (at, request_id, task, provider, model, cost_usd, latency_ms, outcome, streamed) "
                + "VALUES (?, ?, 'content', 'anthropic', 'claude', 0.001, 5, 'ok', false)", now, run + ":" + l.id() + ":qualify:1");
          }
          h.execute("INSERT INTO draft_reviews (run_id, lead_id, draft_at, status, draft_json, decided_admin, decided_at) VALUES (?, ?, ?, 'approved', ?, true, ?)",
              run, l.id(), now, "{\"body\":\"Hi " + l.email() + "\"}", now);
          h.execute("INSERT INTO draft_decisions (run_id, lead_id, draft_at, at, actor_admin, action, before_body, after_body) VALUES (?, ?, ?, ?, true, 'approve', 'Hi', 'Hi')",
              run, l.id(), now, now);
          h.execute("INSERT INTO request_log (request_id, started_at, ended_at, first_provider, provider, model, outcome, attempts, failed_attempts, retries, fallbacks, cost_usd, latency_ms, streamed, single_attempt) "
              + "VALUES (?, ?, ?, 'anthropic', 'anthropic', 'claude', 'ok', 1, 0, 0, 0, 0.002, 5, false, TRUE)", run + ":" + l.id() + ":outreach:1", now, now);
          h.execute("INSERT INTO request_log (request_id, started_at, ended_at, first_provider, provider, model, outcome, attempts, failed_attempts, retries, fallbacks, cost_usd, latency_ms, streamed) "
              + "VALUES (?, ?, ?, 'anthropic', 'anthropic', 'claude', 'ok', 2, 0, 1, 0, 0.002, 5, false)", run + ":" + l.id() + ":qualify:1", now, now);
          h.execute("INSERT INTO email_replies (id, lead_id, category, evidence, decided_by, cost_usd, received_at) VALUES (?, ?, 'interested', 'yes', 'model', 0.001, ?)",
              "rep-" + l.id() + "-" + run, l.id(), now);
          h.execute("INSERT INTO crm_push_queue (lead_id, next_action, queued_at) SELECT ?, 'book a call', ? WHERE NOT EXISTS (SELECT 1 FROM crm_push_queue WHERE lead_id = ?)", l.id(), now, l.id());
          h.execute("INSERT INTO crm_pushes (run_id, email, contact_id, note_id, pushed_at, outcome) SELECT ?, ?, '101', '9001', ?, 'pushed' "
              + "WHERE NOT EXISTS (SELECT 1 FROM crm_pushes WHERE run_id = ? AND email = ?)", run, l.email().toLowerCase(java.util.Locale.ROOT), now, run, l.email().toLowerCase(java.util.Locale.ROOT));
        }
        h.execute("INSERT INTO run_import_issues (run_id, seq, line_no, severity, reason) VALUES ('r1', 1, 3, 'merged', 'line 3: DANA.REYES@orbit.example merged into line 2')");
        h.execute("INSERT INTO run_import_issues (run_id, seq, line_no, severity, reason) VALUES ('r1', 2, 4, 'merged', 'line 4: sam@orbit.example merged into line 1')");
      });
      sends.record(new SendRecord("<sa.1@acme.io>", "r1", dana.id(), "dana@acme.io", EMAIL, "Hi Dana", SendStatus.RECORDED, Instant.now(), null, null));
      sends.mark("<sa.1@acme.io>", SendStatus.SENT, Instant.now(), null);
      sends.record(new SendRecord("<sa.2@acme.io>", "r1", sam.id(), "dana@acme.io", OTHER, "Hi Sam", SendStatus.RECORDED, Instant.now(), null, null));
      BigDecimal costBefore = cost(db);

      var report = new JdbcErasure(db, suppression).forget("  DANA.Reyes@orbit.example ");

      assertThat(report.rows().get("leads")).isEqualTo(2);
      assertThat(report.rows().get("lead_results")).isEqualTo(2);
      assertThat(report.rows().get("draft_reviews")).isEqualTo(2);
      assertThat(report.rows().get("crm_pushes")).isEqualTo(2); // the push log of both runs
      assertThat(report.rows().get("request_log (request ids anonymised)")).isEqualTo(4);
      assertThat(report.rows().get("usage_ledger (request ids anonymised)")).as("attempts: 2 leads × (2 + 1)").isEqualTo(6);
      List<String> hits = db.jdbi().withHandle(h -> occurrences(h, List.of(EMAIL, dana.id(), danaClient.id())));
      assertThat(hits).as("no trace of the person anywhere").isEmpty();
      List<String> samHits = db.jdbi().withHandle(h -> occurrences(h, List.of(OTHER, sam.id())));
      assertThat(samHits).as("the other person is untouched").contains("leads.email", "run_leads.lead_id", "lead_results.lead_id",
          "usage_ledger.request_id", "email_sends.recipient", "email_replies.lead_id", "draft_reviews.lead_id", "draft_decisions.lead_id", "request_log.request_id", "crm_push_queue.lead_id", "crm_pushes.email", "run_import_issues.reason");
      assertThat(cost(db)).isEqualByComparingTo(costBefore);
      int anonymised = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_ledger WHERE request_id LIKE :p")
          .bind("p", "%:" + report.anonymousToken() + ":%").mapTo(Integer.class).one());
      assertThat(anonymised).isEqualTo(6);
      assertThat(suppression.check(EMAIL)).get().extracting(s -> s.reason()).isEqualTo(SuppressionReason.ERASED);
      assertThat(suppression.check(OTHER)).isEmpty();
      // forgetting again finds nothing more and keeps the one hash
      var again = new JdbcErasure(db, suppression).forget(EMAIL);
      assertThat(again.total()).isZero();
    }
  }

  /** {@code table.column} of every text column, in every table, holding one of {@code needles} (any case). */
  static List<String> occurrences(Handle h, List<String> needles) {
    List<String[]> cols = h.createQuery("SELECT table_name, column_name FROM information_schema.columns "
            + "WHERE table_schema IN ('PUBLIC', 'public') AND data_type IN ('CHARACTER VARYING', 'character varying', 'CHARACTER LARGE OBJECT', 'text')")
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list();
    assertThat(cols.size()).as("the catalogue lists the text columns").isGreaterThan(40);
    List<String> hits = new ArrayList<>();
    for (String[] c : cols) {
      if (c[0].toLowerCase(Locale.ROOT).startsWith("flyway")) continue;
      for (String n : needles) {
        int found = h.createQuery("SELECT COUNT(*) FROM " + c[0] + " WHERE LOWER(" + c[1] + ") LIKE :p")
            .bind("p", "%" + n.toLowerCase(Locale.ROOT) + "%").mapTo(Integer.class).one();
        if (found > 0) hits.add(c[0].toLowerCase(Locale.ROOT) + "." + c[1].toLowerCase(Locale.ROOT));
      }
    }
    return hits;
  }

  static BigDecimal cost(Database db) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT SUM(cost_usd) FROM usage_ledger").mapTo(BigDecimal.class).one());
  }
}
