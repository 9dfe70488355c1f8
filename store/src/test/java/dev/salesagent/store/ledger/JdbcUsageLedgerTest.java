package dev.salesagent.store.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.routing.UsageFilter;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.routing.UsageTotals;
import dev.salesagent.store.Database;
import dev.salesagent.store.testing.TestDatabases.Kind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JdbcUsageLedgerTest {

  static UsageRecord rec(String reqId, String key, String task, String provider, int in, int out, double cost,
                         String outcome, Instant at) {
    return new UsageRecord(at, reqId, key, task, provider, provider + "-model", in, 0, out, cost, 12, outcome,
        "ok".equals(outcome) ? 200 : 503, false);
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void nothingIsLostAcrossARestart(Kind kind) throws Exception {
    String url = kind.newUrl("ledger_restart");
    int threads = 8;
    int perThread = 700;
    long expectedIn = 0;
    long expectedOut = 0;
    BigDecimal expectedCost = BigDecimal.ZERO;
    try (Database db = Database.open(url)) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int tt = t;
        Thread th = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < perThread; i++) {
            ledger.record(rec("run1-" + tt + "-" + i, "k" + (i % 3), "research", i % 2 == 0 ? "deepseek" : "anthropic",
                i, 2 * i, i * 0.000001, i % 10 == 0 ? "overloaded" : "ok", Instant.now()));
          }
        });
        th.start();
        ts.add(th);
      }
      go.countDown();
      for (Thread th : ts) th.join();
      ledger.close();
      assertThat(ledger.dropped()).isZero();
    }
    for (int i = 0; i < perThread; i++) {
      expectedIn += (long) i * threads;
      expectedOut += 2L * i * threads;
      expectedCost = expectedCost.add(BigDecimal.valueOf(i * 0.000001).setScale(9, java.math.RoundingMode.HALF_UP).multiply(BigDecimal.valueOf(threads)));
    }
    try (Database db = Database.open(url)) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      UsageTotals all = ledger.queries().total(UsageFilter.ALL);
      assertThat(all.attempts()).isEqualTo((long) threads * perThread);
      assertThat(all.requests()).isEqualTo((long) threads * perThread);
      assertThat(all.inputTokens()).isEqualTo(expectedIn);
      assertThat(all.outputTokens()).isEqualTo(expectedOut);
      assertThat(all.costUsd()).isEqualByComparingTo(expectedCost);
      assertThat(all.failedAttempts()).isEqualTo((long) threads * (perThread / 10));
      ledger.close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void groupsAndPrefixes(Kind kind) {
    String url = kind.newUrl("ledger_groups");
    try (Database db = Database.open(url)) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      Instant d1 = Instant.parse("2026-11-23T23:59:59Z");
      Instant d2 = Instant.parse("2026-11-24T00:00:01Z");
      ledger.record(rec("runA-1", "k1", "qualification", "cerebras", 10, 5, 0.001, "ok", d1));
      ledger.record(rec("runA-2", "k1", "qualification", "cerebras", 20, 5, 0.002, "ok", d2));
      ledger.record(rec("runA_x", "k2", "content", "anthropic", 30, 7, 0.010, "ok", d2));
      ledger.record(rec("runB-1", null, "content", "anthropic", 40, 9, 0.020, "timeout", d2));
      assertThat(ledger.flush(java.time.Duration.ofSeconds(10))).isTrue();

      UsageQueries q = ledger.queries();
      List<UsageTotals> byDay = q.totals(List.of("day"), UsageFilter.ALL);
      assertThat(byDay).extracting(t -> t.group().get("day")).containsExactly("2026-11-23", "2026-11-24");
      assertThat(byDay.get(1).attempts()).isEqualTo(3);

      List<UsageTotals> byKeyProvider = q.totals(List.of("key", "provider"), UsageFilter.ALL);
      assertThat(byKeyProvider).hasSize(3);
      UsageTotals k1 = byKeyProvider.stream().filter(t -> "k1".equals(t.group().get("key"))).findFirst().orElseThrow();
      assertThat(k1.inputTokens()).isEqualTo(30);
      assertThat(k1.costUsd()).isEqualByComparingTo("0.003");

      // '_' must be literal in a prefix, not a LIKE wildcard.
      assertThat(q.byRequestIdPrefix("runA-")).extracting(UsageRecord::requestId).containsExactly("runA-1", "runA-2");
      assertThat(q.byRequestIdPrefix("runA_")).extracting(UsageRecord::requestId).containsExactly("runA_x");
      UsageRecord r = q.byRequestIdPrefix("runB").get(0);
      assertThat(r.apiKeyId()).isNull();
      assertThat(r.outcome()).isEqualTo("timeout");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.at()).isEqualTo(d2);

      assertThat(q.total(UsageFilter.ALL.withApiKeyId("k2")).outputTokens()).isEqualTo(7);
      ledger.close();
    }
  }

  /** Migration V4: a row charged on an estimate says so, and totals keep estimates out of the reported tokens. */
  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void estimatedUsageIsFlaggedAndTotalledApart(Kind kind) {
    String url = kind.newUrl("ledger_estimated");
    try (Database db = Database.open(url)) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      Instant at = Instant.parse("2026-11-24T10:00:00Z");
      ledger.record(rec("est-1", "k1", "qualification", "cerebras", 100, 40, 0.004, "ok", at));
      ledger.record(new UsageRecord(at, "est-2", "k1", "qualification", "cerebras", "cerebras-model", 25, null, 12, 0.0005,
          30, "interrupted", null, true, true));
      assertThat(ledger.flush(java.time.Duration.ofSeconds(10))).isTrue();

      UsageQueries q = ledger.queries();
      assertThat(q.byRequestIdPrefix("est-")).extracting(UsageRecord::usageEstimated).containsExactly(false, true);
      UsageRecord est = q.byRequestIdPrefix("est-2").get(0);
      assertThat(est.inputTokens()).isEqualTo(25);
      assertThat(est.outputTokens()).isEqualTo(12);
      UsageTotals t = q.total(UsageFilter.ALL.withRequestIdPrefix("est-"));
      assertThat(t.attempts()).isEqualTo(2);
      assertThat(t.inputTokens()).as("reported tokens only").isEqualTo(100);
      assertThat(t.outputTokens()).isEqualTo(40);
      assertThat(t.costUsd()).as("everything charged").isEqualByComparingTo("0.0045");
      assertThat(t.estimatedAttempts()).isEqualTo(1);
      assertThat(t.estimatedInputTokens()).isEqualTo(25);
      assertThat(t.estimatedOutputTokens()).isEqualTo(12);
      assertThat(t.estimatedCostUsd()).isEqualByComparingTo("0.0005");
      ledger.close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void recordNeverBlocksAndFlushIsPrompt(Kind kind) {
    try (Database db = Database.open(kind.newUrl("ledger_fast"))) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      long t0 = System.nanoTime();
      for (int i = 0; i < 20_000; i++) ledger.record(rec("r" + i, "k", "t", "p", 1, 1, 0.0, "ok", Instant.now()));
      long recordMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(recordMs).as("20k record() calls").isLessThan(2_000);
      assertThat(ledger.flush(java.time.Duration.ofSeconds(60))).isTrue();
      assertThat(ledger.queries().total(UsageFilter.ALL).attempts()).isEqualTo(20_000);
      ledger.close();
    }
  }
}
