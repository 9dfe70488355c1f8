package dev.salesagent.store.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.outcome.CostPerOutcome;
import dev.salesagent.agent.outcome.Outcome;
import dev.salesagent.agent.pipeline.RunService;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.store.Database;
import dev.salesagent.store.lead.JdbiLeadRepository;
import dev.salesagent.store.lead.JdbiRunLedger;
import dev.salesagent.store.lead.JdbiRunStore;
import dev.salesagent.store.lead.SchemaFakeRouter;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.store.ledger.JdbcUsageLedger;
import dev.salesagent.store.testing.TestDatabases;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cost per outcome after a real pipeline run (50 sample leads through a schema-following fake router): the counts
 * equal the tables, each cell equals the ledger's spend of the tasks that lead to the outcome over its count.
 */
class JdbcOutcomeQueriesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void costPerOutcomeEqualsLedgerSpendOverOutcomeCounts(TestDatabases.Kind kind) throws Exception {
    Path csv = dir.resolve("leads.csv");
    try (InputStream in = RunService.class.getResourceAsStream("/samples/leads.csv")) {
      Files.copy(in, csv);
    }
    Vertx vertx = Vertx.vertx();
    try (Database db = Database.open(kind.newUrl("outcomes"))) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      var svc = new RunService(vertx, new SchemaFakeRouter(vertx, ledger), ScoringConfig.defaults(), new JdbiLeadRepository(db),
          new JdbiRunStore(db), new JdbiRunLedger(ledger), Clock.systemUTC());
      String run = svc.execute(new RunService.Options(csv, dir.resolve("out"), 8, EnumSet.allOf(Step.class), false), p -> {},
          new RunService.Hooks() {}).run().id();
      ledger.close();
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      List<String> drafted = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT lead_id FROM lead_results WHERE run_id = :r AND step = 'outreach' AND status = 'done' ORDER BY lead_id").bind("r", run)
          .mapTo(String.class).list());
      assertThat(drafted.size()).isGreaterThanOrEqualTo(2);
      db.jdbi().useHandle(h -> {
        for (String lead : drafted.subList(0, 2)) {
          h.execute("INSERT INTO draft_reviews (run_id, lead_id, draft_at, status, decided_admin, decided_at) VALUES (?, ?, ?, 'approved', true, ?)", run, lead, now, now);
        }
        h.execute("INSERT INTO email_sends (message_id, run_id, lead_id, mailbox, recipient, status, recorded_at) VALUES ('<sa.1@a.io>', ?, ?, 'd@a.io', 'x@y.example', 'sent', ?)", run, drafted.get(0), now);
        h.execute("INSERT INTO email_sends (message_id, run_id, lead_id, mailbox, recipient, status, recorded_at) VALUES ('<sa.2@a.io>', ?, ?, 'd@a.io', 'z@y.example', 'uncertain', ?)", run, drafted.get(1), now);
        h.execute("INSERT INTO email_replies (id, lead_id, category, evidence, decided_by, request_id, provider, model, cost_usd, received_at) "
            + "VALUES ('rp-1', ?, 'interested', 'yes', 'model', 'reply:rp-1', 'cerebras', 'gpt-oss-120b', 0.0005, ?)", drafted.get(0), now);
        h.execute("INSERT INTO ledger_attempts (at, request_id, task, provider, model, cost_usd, latency_ms, outcome, streamed) "
            + "VALUES (?, 'reply:rp-1:1', 'triage', 'cerebras', 'gpt-oss-120b', 0.0005, 5, 'ok', false)", now);
        h.execute("INSERT INTO ledger_attempts (at, request_id, task, provider, model, cost_usd, latency_ms, outcome, streamed) "
            + "VALUES (?, 'someone-else:1', 'content', 'anthropic', 'claude', 9, 5, 'ok', false)", now);
      });

      CostPerOutcome c = new JdbcOutcomeQueries(db).costPerOutcome(run);

      long qualified = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM lead_results WHERE run_id = :r AND step = 'qualify' "
          + "AND status = 'done' AND (result_json LIKE '%\"tier\":\"hot\"%' OR result_json LIKE '%\"tier\":\"warm\"%')").bind("r", run).mapTo(Long.class).one());
      assertThat(qualified).isPositive();
      assertThat(c.counts()).containsEntry(Outcome.QUALIFIED_LEAD, qualified).containsEntry(Outcome.APPROVED_DRAFT, 2L)
          .containsEntry(Outcome.SENT_EMAIL, 1L).containsEntry(Outcome.INTERESTED_REPLY, 1L);
      BigDecimal runSpend = sum(db, "request_id LIKE '" + run + ":%'");
      BigDecimal qualSpend = sum(db, "request_id LIKE '" + run + ":%' AND task IN ('qualification', 'parsing')");
      BigDecimal draftSpend = sum(db, "request_id LIKE '" + run + ":%' AND task IN ('qualification', 'parsing', 'research', 'content')");
      assertThat(c.total().costUsd()).isEqualByComparingTo(runSpend.add(new BigDecimal("0.0005")));
      assertThat(c.total().perOutcome().get(Outcome.QUALIFIED_LEAD))
          .isEqualByComparingTo(qualSpend.divide(BigDecimal.valueOf(qualified), 6, RoundingMode.HALF_UP));
      assertThat(c.total().perOutcome().get(Outcome.APPROVED_DRAFT))
          .isEqualByComparingTo(draftSpend.divide(BigDecimal.valueOf(2), 6, RoundingMode.HALF_UP));
      assertThat(c.total().perOutcome().get(Outcome.SENT_EMAIL)).isEqualByComparingTo(draftSpend.setScale(6, RoundingMode.HALF_UP));
      assertThat(c.total().perOutcome().get(Outcome.INTERESTED_REPLY))
          .isEqualByComparingTo(draftSpend.add(new BigDecimal("0.0005")).setScale(6, RoundingMode.HALF_UP));
      var triage = c.rows().stream().filter(r -> "triage".equals(r.task())).findFirst().orElseThrow();
      assertThat(triage.perOutcome().get(Outcome.QUALIFIED_LEAD)).isNull();
      assertThat(triage.perOutcome().get(Outcome.INTERESTED_REPLY)).isEqualByComparingTo("0.0005");
      assertThat(c.markdown()).contains("| triage | cerebras | 1 |").contains("**total**");
      // every run: the other request (no lead, no reply) is not sales spend
      assertThat(new JdbcOutcomeQueries(db).costPerOutcome(null).total().costUsd()).isEqualByComparingTo(runSpend.add(new BigDecimal("0.0005")));
    } finally {
      vertx.close();
    }
  }

  /** The gateway's ledger writes in batches: spend it accepted but has not written yet still counts (read after a flush). */
  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void spendTheLedgerHasNotWrittenYetCounts(TestDatabases.Kind kind) {
    try (Database db = Database.open(kind.newUrl("outcomes-pending"))) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db, 1024, Duration.ofHours(1));
      try {
        ledger.record(new UsageRecord(Instant.now(), "api:L-1:outreach:1", null, "content", "anthropic", "claude",
            100, 0, 50, 0.002, 5, "ok", 200, false, false));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        db.jdbi().useHandle(h -> h.execute("INSERT INTO draft_reviews (run_id, lead_id, draft_at, status, decided_admin, decided_at) "
            + "VALUES ('api', 'L-1', ?, 'approved', true, ?)", now, now));

        CostPerOutcome c = new JdbcOutcomeQueries(db, ledger).costPerOutcome(null);

        assertThat(c.counts()).containsEntry(Outcome.APPROVED_DRAFT, 1L);
        assertThat(c.total().costUsd()).isEqualByComparingTo("0.002");
        assertThat(c.total().perOutcome().get(Outcome.APPROVED_DRAFT)).isEqualByComparingTo("0.002");
      } finally {
        ledger.close();
      }
    }
  }

  static BigDecimal sum(Database db, String where) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(SUM(cost_usd), 0) FROM usage_ledger WHERE " + where).mapTo(BigDecimal.class).one());
  }
}
