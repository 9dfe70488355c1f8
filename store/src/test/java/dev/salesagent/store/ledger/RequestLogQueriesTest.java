package dev.salesagent.store.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.routing.RequestLog;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.store.Database;
import dev.salesagent.store.testing.TestDatabases.Kind;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request log the ledger's writer builds, on H2 and PostgreSQL: one entry per request from its attempts (also when
 * they arrive in different batches), retries and fallbacks told apart, keyset pages, filters, the attempt chain and
 * usage in time buckets that add up to the attempts.
 */
class RequestLogQueriesTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:30Z");

  static UsageRecord attempt(String req, String key, String provider, String model, String outcome, Instant end,
                             long latencyMs, Integer in, Integer out, double cost, boolean streamed) {
    return new UsageRecord(end, req, key, "qualification", provider, model, in, 0, out, cost, latencyMs, outcome,
        "ok".equals(outcome) ? 200 : 529, streamed, false, "task:qualification", streamed && "ok".equals(outcome) ? latencyMs / 4 : null);
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void oneEntryPerRequestWithRetriesFallbacksAndTheAttemptChain(Kind kind) {
    try (Database db = Database.open(kind.newUrl("request_log"))) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      RequestLog log = ledger.requestLog();
      // a retried request, in one batch
      ledger.record(attempt("r-retry", "k1", "cerebras", "gpt-oss", "overloaded", T0, 100, null, null, 0, false));
      ledger.record(attempt("r-retry", "k1", "cerebras", "gpt-oss", "ok", T0.plusMillis(400), 200, 10, 5, 0.001, false));
      // a fallback whose attempts land in two batches
      ledger.record(attempt("r-fall", "k2", "cerebras", "gpt-oss", "overloaded", T0.plusSeconds(1), 50, null, null, 0, true));
      assertThat(ledger.flush(Duration.ofSeconds(30))).isTrue();
      ledger.record(attempt("r-fall", "k2", "deepseek", "deepseek-chat", "ok", T0.plusSeconds(2), 300, 20, 7, 0.002, true));
      // a failed request
      ledger.record(attempt("r-fail", "k1", "anthropic", "claude", "authentication", T0.plusSeconds(3), 30, null, null, 0, false));
      assertThat(ledger.flush(Duration.ofSeconds(30))).isTrue();

      RequestLog.Entry retry = log.find("r-retry", null).orElseThrow().entry();
      assertThat(retry.attempts()).isEqualTo(2);
      assertThat(retry.retries()).isEqualTo(1);
      assertThat(retry.fallbacks()).isZero();
      assertThat(retry.failedAttempts()).isEqualTo(1);
      assertThat(retry.outcome()).isEqualTo("ok");
      assertThat(retry.requestedModel()).isEqualTo("task:qualification");
      assertThat(retry.inputTokens()).isEqualTo(10);
      assertThat(retry.startedAt()).isEqualTo(T0.minusMillis(100));
      assertThat(retry.latencyMs()).isEqualTo(500);

      RequestLog.Detail fall = log.find("r-fall", null).orElseThrow();
      assertThat(fall.entry().attempts()).isEqualTo(2);
      assertThat(fall.entry().fallbacks()).isEqualTo(1);
      assertThat(fall.entry().retries()).isZero();
      assertThat(fall.entry().firstProvider()).isEqualTo("cerebras");
      assertThat(fall.entry().provider()).isEqualTo("deepseek");
      assertThat(fall.entry().streamed()).isTrue();
      assertThat(fall.entry().costUsd()).isEqualByComparingTo(new BigDecimal("0.002"));
      assertThat(fall.attempts()).extracting(UsageRecord::outcome).containsExactly("overloaded", "ok");
      assertThat(log.find("r-fall", "k1")).isEmpty(); // another key's request is not found

      RequestLog.Entry fail = log.find("r-fail", null).orElseThrow().entry();
      assertThat(fail.outcome()).isEqualTo("authentication");
      assertThat(fail.inputTokens()).isNull();

      // pages newest first; filters
      assertThat(log.page(RequestLog.Filter.ALL, null, 10)).extracting(RequestLog.Entry::requestId)
          .containsExactly("r-fail", "r-fall", "r-retry");
      assertThat(log.page(new RequestLog.Filter("k1", null, null, null, null), null, 10)).extracting(RequestLog.Entry::requestId)
          .containsExactly("r-fail", "r-retry");
      assertThat(log.page(new RequestLog.Filter(null, null, null, "error", null), null, 10)).extracting(RequestLog.Entry::requestId)
          .containsExactly("r-fail");
      assertThat(log.page(new RequestLog.Filter(null, "deepseek", null, null, null), null, 10)).hasSize(1);
      assertThat(log.page(new RequestLog.Filter(null, null, null, null, "r-f"), null, 10)).hasSize(2);
      assertThat(log.page(new RequestLog.Filter(null, null, null, null, "r_"), null, 10)).isEmpty(); // _ is literal

      // usage by provider per minute: adds up to the attempts; the retry and the fallback are counted where they ran
      List<RequestLog.Bucket> series = log.timeseries(T0.minusSeconds(60), T0.plusSeconds(60), RequestLog.BucketSize.MINUTE,
          RequestLog.Split.PROVIDER, null);
      assertThat(series).allSatisfy(b -> assertThat(b.start()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z")));
      assertThat(series.stream().mapToLong(RequestLog.Bucket::attempts).sum()).isEqualTo(5);
      RequestLog.Bucket cerebras = series.stream().filter(b -> b.group().equals("cerebras")).findFirst().orElseThrow();
      assertThat(cerebras.requests()).isEqualTo(2);
      assertThat(cerebras.retries()).isEqualTo(1);
      RequestLog.Bucket deepseek = series.stream().filter(b -> b.group().equals("deepseek")).findFirst().orElseThrow();
      assertThat(deepseek.fallbacks()).isEqualTo(1);
      assertThat(deepseek.outputTokens()).isEqualTo(7);
      assertThat(log.timeseries(T0.minusSeconds(60), T0.plusSeconds(60), RequestLog.BucketSize.HOUR, null, "k2"))
          .singleElement().satisfies(b -> assertThat(b.requests()).isEqualTo(1));

      // per provider and model: error rate, latency and TTFT percentiles (TTFT only where a stream produced content)
      List<RequestLog.TargetStats> stats = log.providerStats(T0.minusSeconds(60));
      RequestLog.TargetStats cer = stats.stream().filter(t -> t.provider().equals("cerebras")).findFirst().orElseThrow();
      assertThat(cer.attempts()).isEqualTo(3);
      assertThat(cer.failedAttempts()).isEqualTo(2);
      assertThat(cer.latencyP50Ms()).isEqualTo(100.0);
      assertThat(cer.ttftP50Ms()).isNull();
      RequestLog.TargetStats ds = stats.stream().filter(t -> t.provider().equals("deepseek")).findFirst().orElseThrow();
      assertThat(ds.errorRatePercent()).isZero();
      assertThat(ds.ttftP95Ms()).isEqualTo(75.0);
      assertThat(log.providerStats(T0.plusSeconds(3600))).isEmpty();
      ledger.close();
    }
  }

  /** {@link #attempt} numbered within its request, as the router records it. */
  static UsageRecord numbered(int no, String req, String provider, String outcome, Instant end, double cost) {
    UsageRecord r = attempt(req, "k1", provider, "m-" + provider, outcome, end, 100, "ok".equals(outcome) ? 10 : null,
        "ok".equals(outcome) ? 5 : null, cost, false);
    return new UsageRecord(r.at(), r.requestId(), r.apiKeyId(), r.task(), r.provider(), r.model(), r.inputTokens(),
        r.cachedInputTokens(), r.outputTokens(), r.costUsd(), r.latencyMs(), r.outcome(), r.status(), r.streamed(),
        r.usageEstimated(), r.requestedModel(), r.ttftMs(), no);
  }

  /**
   * Records that say which attempt they are spare the writer its look-up of first attempts; a later attempt in a later
   * batch (a fallback after a backoff) still finds and updates the request's entry, and one in the same batch folds in.
   */
  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void numberedAttemptsBuildTheSameEntriesAcrossBatches(Kind kind) {
    try (Database db = Database.open(kind.newUrl("request_log_numbered"))) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      RequestLog log = ledger.requestLog();
      ledger.record(numbered(1, "n-one", "cerebras", "ok", T0, 0.001));
      ledger.record(numbered(1, "n-retry", "cerebras", "overloaded", T0.plusMillis(200), 0));
      ledger.record(numbered(2, "n-retry", "cerebras", "ok", T0.plusMillis(500), 0.001));
      ledger.record(numbered(1, "n-fall", "cerebras", "overloaded", T0.plusSeconds(1), 0));
      assertThat(ledger.flush(Duration.ofSeconds(30))).isTrue();
      ledger.record(numbered(2, "n-fall", "deepseek", "overloaded", T0.plusSeconds(2), 0));
      assertThat(ledger.flush(Duration.ofSeconds(30))).isTrue();
      ledger.record(numbered(3, "n-fall", "anthropic", "ok", T0.plusSeconds(3), 0.003));
      assertThat(ledger.flush(Duration.ofSeconds(30))).isTrue();

      assertThat(log.find("n-one", null).orElseThrow().entry().attempts()).isEqualTo(1);
      RequestLog.Entry retry = log.find("n-retry", null).orElseThrow().entry();
      assertThat(retry.attempts()).isEqualTo(2);
      assertThat(retry.retries()).isEqualTo(1);
      RequestLog.Detail fall = log.find("n-fall", null).orElseThrow();
      assertThat(fall.entry().attempts()).isEqualTo(3);
      assertThat(fall.entry().fallbacks()).isEqualTo(2);
      assertThat(fall.entry().failedAttempts()).isEqualTo(2);
      assertThat(fall.entry().firstProvider()).isEqualTo("cerebras");
      assertThat(fall.entry().provider()).isEqualTo("anthropic");
      assertThat(fall.entry().costUsd()).isEqualByComparingTo(new BigDecimal("0.003"));
      assertThat(fall.entry().startedAt()).isEqualTo(T0.plusSeconds(1).minusMillis(100));
      assertThat(fall.attempts()).extracting(UsageRecord::provider).containsExactly("cerebras", "deepseek", "anthropic");
      assertThat(log.page(RequestLog.Filter.ALL, null, 10)).hasSize(3);
      ledger.close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void keysetPagesVisitEveryRequestOnceEvenWhenTheyShareAnInstant(Kind kind) {
    try (Database db = Database.open(kind.newUrl("request_pages"))) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      List<String> made = new ArrayList<>();
      for (int i = 0; i < 23; i++) {
        String id = "req-" + (100 + i);
        made.add(id);
        // groups of 4 requests start at the same instant
        ledger.record(attempt(id, "k", "cerebras", "m", "ok", T0.plusSeconds(i / 4), 0, 1, 1, 0.0001, false));
      }
      assertThat(ledger.flush(Duration.ofSeconds(30))).isTrue();
      RequestLog log = ledger.requestLog();
      List<String> seen = new ArrayList<>();
      RequestLog.Cursor cursor = null;
      for (int p = 0; p < 10; p++) {
        List<RequestLog.Entry> page = log.page(RequestLog.Filter.ALL, cursor, 5);
        if (page.isEmpty()) break;
        page.forEach(e -> seen.add(e.requestId()));
        cursor = RequestLog.Cursor.after(page.get(page.size() - 1));
      }
      assertThat(seen).hasSize(23).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(made);
      assertThat(seen.get(0)).isEqualTo("req-122");
      assertThat(RequestLog.Cursor.parse(cursor.wire())).isEqualTo(cursor);
      ledger.close();
    }
  }
  /** Pages list requests by the time they finished: a long stream that started first and ended last comes first. */
  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void pagesAreNewestFinishedFirstWithAndWithoutAFilter(Kind kind) {
    try (Database db = Database.open(kind.newUrl("request_pages_end"))) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      // started T0-60s, ended T0+10s
      ledger.record(attempt("long-stream", "k", "anthropic", "claude", "ok", T0.plusSeconds(10), 70_000, 1, 900, 0.01, true));
      // started and ended within the long stream
      ledger.record(attempt("short-a", "k", "cerebras", "m", "ok", T0, 100, 1, 1, 0.0001, false));
      ledger.record(attempt("short-b", "k", "anthropic", "claude", "ok", T0.plusSeconds(5), 100, 1, 1, 0.0001, false));
      assertThat(ledger.flush(Duration.ofSeconds(30))).isTrue();
      RequestLog log = ledger.requestLog();

      assertThat(log.page(RequestLog.Filter.ALL, null, 10)).extracting(RequestLog.Entry::requestId)
          .containsExactly("long-stream", "short-b", "short-a");
      RequestLog.Filter claude = new RequestLog.Filter(null, "anthropic", null, null, null);
      List<RequestLog.Entry> first = log.page(claude, null, 1);
      assertThat(first).extracting(RequestLog.Entry::requestId).containsExactly("long-stream");
      assertThat(log.page(claude, RequestLog.Cursor.after(first.get(0)), 5)).extracting(RequestLog.Entry::requestId)
          .containsExactly("short-b");
      ledger.close();
    }
  }
}
