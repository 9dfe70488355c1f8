package dev.salesagent.store.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.routing.UsageFilter;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.routing.UsageTotals;
import dev.salesagent.store.Database;
import dev.salesagent.store.testing.TestDatabases.Kind;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * V11: a request answered at its first attempt is one {@code request_log} row, and the {@code usage_ledger} view still
 * shows that attempt exactly as it was recorded; the attempts of retried and fallen-back requests are
 * {@code ledger_attempts} rows — also a first attempt an earlier batch kept in its request's row. On H2 and PostgreSQL,
 * and for a database migrated from the two-row layout.
 */
class OneLedgerRowPerRequestTest {
  static final Instant T0 = Instant.parse("2026-12-02T09:00:00.123456Z");

  static UsageRecord attempt(String req, int n, String provider, String outcome, Instant end, Integer cached,
                             boolean estimated, Long ttft) {
    return new UsageRecord(end, req, "key_a", "content", provider, provider + "-m", 120, cached, 40, 0.000375, 250,
        outcome, "ok".equals(outcome) ? 200 : 529, ttft != null, estimated, "task:content", ttft, n);
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void aSingleAttemptRequestIsOneRowAndTheLedgerStillShowsItsAttempt(Kind kind) {
    try (Database db = Database.open(kind.newUrl("one_row"))) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      UsageRecord sent = attempt("r-one", 1, "anthropic", "ok", T0, 96, true, 180L);
      ledger.record(sent);
      assertThat(ledger.flush(Duration.ofSeconds(30))).isTrue();

      assertThat(count(db, "SELECT COUNT(*) FROM ledger_attempts")).as("no second row").isZero();
      assertThat(count(db, "SELECT COUNT(*) FROM request_log WHERE single_attempt")).isEqualTo(1);
      List<UsageRecord> rows = ledger.queries().byRequestIdPrefix("r-one");
      assertThat(rows).hasSize(1);
      assertSameAttempt(rows.get(0), sent);
      Map<String, Object> extra = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT attempt_kind, ttft_ms FROM usage_ledger WHERE request_id = 'r-one'").mapToMap().one());
      assertThat(extra.get("attempt_kind")).isEqualTo("first");
      assertThat(((Number) extra.get("ttft_ms")).longValue()).isEqualTo(180L);
      assertThat(ledger.requestLog().find("r-one", null).orElseThrow().attempts()).hasSize(1);
      UsageTotals t = ledger.queries().total(UsageFilter.ALL.withApiKeyId("key_a"));
      assertThat(t.requests()).isEqualTo(1);
      assertThat(t.estimatedAttempts()).isEqualTo(1);
      ledger.close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void aRetryInALaterBatchGivesTheKeptFirstAttemptItsOwnRow(Kind kind) {
    try (Database db = Database.open(kind.newUrl("one_row_retry"))) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      UsageRecord first = attempt("r-two", 1, "cerebras", "overloaded", T0, null, false, null);
      ledger.record(first);
      assertThat(ledger.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(count(db, "SELECT COUNT(*) FROM ledger_attempts")).isZero();
      UsageRecord second = attempt("r-two", 2, "cerebras", "ok", T0.plusSeconds(2), 12, false, 90L);
      ledger.record(second);
      assertThat(ledger.flush(Duration.ofSeconds(30))).isTrue();

      assertThat(count(db, "SELECT COUNT(*) FROM ledger_attempts WHERE request_id = 'r-two'")).isEqualTo(2);
      assertThat(count(db, "SELECT COUNT(*) FROM request_log WHERE single_attempt")).isZero();
      List<UsageRecord> rows = ledger.requestLog().find("r-two", null).orElseThrow().attempts();
      assertThat(rows).as("each attempt once, in order").hasSize(2);
      assertSameAttempt(rows.get(0), first);
      assertSameAttempt(rows.get(1), second);
      List<String> kinds = strings(db, "SELECT attempt_kind FROM usage_ledger WHERE request_id = 'r-two' ORDER BY at");
      assertThat(kinds).containsExactly("first", "retry");
      UsageTotals t = ledger.queries().total(UsageFilter.ALL);
      assertThat(t.requests()).isEqualTo(1);
      assertThat(t.attempts()).isEqualTo(2);
      assertThat(t.failedAttempts()).isEqualTo(1);
      assertThat(t.costUsd()).isEqualByComparingTo("0.00075");
      ledger.close();
    }
  }

  /** A database written by the two-row writer (V10) reads the same after V11, with one row per single-attempt request. */
  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void migratingKeepsEveryAttemptAndEveryTotal(Kind kind) {
    String url = kind.newUrl("one_row_migration");
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("10").load().migrate();
    {
      org.jdbi.v3.core.Jdbi.create(url).useHandle(h -> {
        OffsetDateTime at = OffsetDateTime.ofInstant(T0, ZoneOffset.UTC);
        // a single-attempt request, a retried one, and a row older than the request log (V7_1)
        h.execute("INSERT INTO usage_ledger (at, request_id, api_key_id, task, provider, model, input_tokens, cached_input_tokens,"
            + " output_tokens, cost_usd, latency_ms, outcome, status, streamed, usage_estimated, attempt_kind, ttft_ms)"
            + " VALUES (?, 'm-one', 'key_a', 'content', 'anthropic', 'claude', 100, 64, 20, 0.0025, 300, 'ok', 200, TRUE, FALSE, 'first', 120)", at);
        h.execute("INSERT INTO request_log (request_id, started_at, ended_at, api_key_id, task, requested_model, first_provider, provider,"
            + " model, outcome, status, attempts, failed_attempts, retries, fallbacks, input_tokens, output_tokens, cost_usd, latency_ms, streamed)"
            + " VALUES ('m-one', ?, ?, 'key_a', 'content', 'auto', 'anthropic', 'anthropic', 'claude', 'ok', 200, 1, 0, 0, 0, 100, 20, 0.0025, 300, TRUE)",
            at.minusNanos(300_000_000), at);
        for (int i = 1; i <= 2; i++) {
          h.execute("INSERT INTO usage_ledger (at, request_id, api_key_id, task, provider, model, input_tokens, output_tokens, cost_usd,"
              + " latency_ms, outcome, status, streamed, usage_estimated, attempt_kind) VALUES (?, 'm-two', 'key_a', 'content', 'cerebras',"
              + " 'gpt-oss', ?, ?, ?, 100, ?, ?, FALSE, FALSE, ?)", at.plusSeconds(i), i == 1 ? null : 50, i == 1 ? null : 5,
              i == 1 ? BigDecimal.ZERO : new BigDecimal("0.0001"), i == 1 ? "overloaded" : "ok", i == 1 ? 529 : 200, i == 1 ? "first" : "retry");
        }
        h.execute("INSERT INTO request_log (request_id, started_at, ended_at, api_key_id, task, first_provider, provider, model, outcome,"
            + " status, attempts, failed_attempts, retries, fallbacks, input_tokens, output_tokens, cost_usd, latency_ms, streamed)"
            + " VALUES ('m-two', ?, ?, 'key_a', 'content', 'cerebras', 'cerebras', 'gpt-oss', 'ok', 200, 2, 1, 1, 0, 50, 5, 0.0001, 1100, FALSE)",
            at.plusNanos(900_000_000), at.plusSeconds(2));
        h.execute("INSERT INTO usage_ledger (at, request_id, task, provider, model, cost_usd, latency_ms, outcome, streamed)"
            + " VALUES (?, 'm-old', 'content', 'ollama', 'llama', 0, 40, 'ok', FALSE)", at.minusSeconds(86_400));
      });
    }
    try (Database db = Database.open(url)) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      List<String> kept = strings(db, "SELECT request_id FROM ledger_attempts ORDER BY at");
      assertThat(kept).containsExactly("m-old", "m-two", "m-two");
      List<UsageRecord> one = ledger.queries().byRequestIdPrefix("m-one");
      assertThat(one).hasSize(1);
      UsageRecord r = one.get(0);
      assertThat(r.at()).isEqualTo(T0);
      assertThat(r.cachedInputTokens()).isEqualTo(64);
      assertThat(r.latencyMs()).isEqualTo(300);
      assertThat(r.streamed()).isTrue();
      assertThat(count(db, "SELECT ttft_ms FROM usage_ledger WHERE request_id = 'm-one'")).isEqualTo(120);
      UsageTotals t = ledger.queries().total(UsageFilter.ALL);
      assertThat(t.attempts()).isEqualTo(4);
      assertThat(t.requests()).isEqualTo(3);
      assertThat(t.cachedInputTokens()).isEqualTo(64);
      assertThat(t.costUsd()).isEqualByComparingTo("0.0026");
      // and the writer goes on from there: a retry of the migrated single attempt moves it out of its row
      ledger.record(new UsageRecord(T0.plusSeconds(5), "m-one", "key_a", "content", "anthropic", "claude", 10, 0, 2, 0.0001, 50,
          "ok", 200, false, false, "auto", null, 2));
      assertThat(ledger.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(ledger.requestLog().find("m-one", null).orElseThrow().attempts()).extracting(UsageRecord::cachedInputTokens)
          .containsExactly(64, 0);
      ledger.close();
    }
  }

  private static void assertSameAttempt(UsageRecord stored, UsageRecord sent) {
    assertThat(stored.at()).isEqualTo(sent.at());
    assertThat(stored.requestId()).isEqualTo(sent.requestId());
    assertThat(stored.apiKeyId()).isEqualTo(sent.apiKeyId());
    assertThat(stored.task()).isEqualTo(sent.task());
    assertThat(stored.provider()).isEqualTo(sent.provider());
    assertThat(stored.model()).isEqualTo(sent.model());
    assertThat(stored.inputTokens()).isEqualTo(sent.inputTokens());
    assertThat(stored.cachedInputTokens()).isEqualTo(sent.cachedInputTokens());
    assertThat(stored.outputTokens()).isEqualTo(sent.outputTokens());
    assertThat(stored.costUsd()).isEqualTo(sent.costUsd());
    assertThat(stored.latencyMs()).isEqualTo(sent.latencyMs());
    assertThat(stored.outcome()).isEqualTo(sent.outcome());
    assertThat(stored.status()).isEqualTo(sent.status());
    assertThat(stored.streamed()).isEqualTo(sent.streamed());
    assertThat(stored.usageEstimated()).isEqualTo(sent.usageEstimated());
  }

  private static List<String> strings(Database db, String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
  }

  private static long count(Database db, String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
