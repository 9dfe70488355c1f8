package dev.salesagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.KeyRegistry;
import dev.salesagent.server.ops.RequestLogApi;
import dev.salesagent.store.Database;
import dev.salesagent.store.ledger.RequestLogQueries;
import dev.salesagent.store.testing.PostgresTestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The request log at size: generates {@code --rows} requests (default 1,000,000, over 30 days, 50 keys, 4 providers,
 * ~8 % failures) straight into {@code request_log} of a fresh database — an H2 file and a throwaway PostgreSQL
 * ({@link PostgresTestServer}) — then serves {@code GET /v1/requests} from the real handler ({@link RequestLogApi} over
 * {@link RequestLogQueries}) on loopback and times, over HTTP, the first page and the page after it for several
 * filters, and a page deep in the log (cursor at the middle row). Prints p50 / p95 / max per case.
 *
 * <pre>
 * mvn -B -q -o -pl bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=$PWD/bench/target/rl.cp
 * java -Xmx1g -cp "bench/target/classes:$(cat bench/target/rl.cp)" dev.salesagent.bench.RequestLogBench \
 *   [--rows 1000000] [--db h2|postgres|both] [--runs 30]
 * </pre>
 */
public final class RequestLogBench {
  private static final String ADMIN = "sk-bench-admin-not-a-real-key";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] PROVIDERS = {"cerebras", "deepseek", "anthropic", "ollama"};
  private static final String[] MODELS = {"gpt-oss-120b", "deepseek-chat", "claude-sonnet-4-5", "llama3.1"};
  private static final String[] OUTCOMES = {"overloaded", "rate_limited", "timeout", "upstream_error"};

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN); // the pool's and H2's debug lines are not the benchmark's output
    int rows = BenchArgs.integer(args, "--rows", 1_000_000);
    int runs = BenchArgs.integer(args, "--runs", 30);
    String which = BenchArgs.string(args, "--db", "both");
    explain = Arrays.asList(args).contains("--explain");
    System.out.println("request log benchmark: " + rows + " rows, " + runs + " timed runs per case (after 10 warm-up runs)");
    if (!which.equals("postgres")) {
      String given = BenchArgs.string(args, "--h2-dir", null); // reuse a log generated before (H2 generation takes minutes)
      Path dir = (given != null ? Path.of(given) : Path.of("target", "bench-request-log", UUID.randomUUID().toString())).toAbsolutePath();
      // --h2-settings ";OPTIMIZE_REUSE_RESULTS=FALSE": H2 settings appended to the URL (that one turns off H2's reuse of a
      // repeated query's result while no table changed — a live log changes every 100 ms, so the cache is what a
      // console does not get)
      run("H2 file", Database.defaultUrl(dir) + BenchArgs.string(args, "--h2-settings", ""), rows, runs);
    }
    if (!which.equals("h2")) run("PostgreSQL", PostgresTestServer.get().newDatabaseUrl("request_log_bench"), rows, runs);
    System.exit(0);
  }

  private static boolean explain;

  /** The database's plan for the first page of each case ({@code --explain}). */
  private static void explain(Database db) {
    for (String[] c : new String[][] {{"", ""}, {" WHERE api_key_id = 'key-7'", "api_key_id DESC, "},
        {" WHERE provider = 'deepseek'", "provider DESC, "}, {" WHERE outcome <> 'ok'", ""}}) {
      String sql = "EXPLAIN ANALYZE SELECT * FROM request_log" + c[0] + " ORDER BY " + c[1] + "ended_at DESC, request_id DESC LIMIT 51";
      System.out.println(sql);
      db.jdbi().useHandle(h -> h.createQuery(sql).mapTo(String.class).list().forEach(l -> System.out.println("  " + l)));
    }
  }

  private static void run(String label, String url, int rows, int runs) throws Exception {
    try (Database db = Database.open(url)) {
      long t0 = System.nanoTime();
      long have = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM request_log").mapTo(Long.class).one());
      if (have >= rows) {
        System.out.printf("%n%s: reusing %,d rows%n", label, have);
      } else {
        generate(db, rows);
        System.out.printf("%n%s: generated %,d rows in %.1f s%n", label, rows, (System.nanoTime() - t0) / 1e9);
      }
      db.jdbi().useHandle(h -> h.execute(db.isPostgres() ? "ANALYZE request_log" : "ANALYZE"));
      if (explain) explain(db);
      Vertx vertx = Vertx.vertx();
      try {
        KeyRegistry keys = new KeyRegistry(vertx, null, ADMIN);
        keys.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        GatewayServices s = new GatewayServices(null, null, null, keys, null, null, null, null, null, GatewayOptions.defaults());
        RequestLogApi api = new RequestLogApi(vertx, s, new RequestLogQueries(db));
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
          if (!api.handle(req)) req.response().setStatusCode(404).end();
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String base = "http://127.0.0.1:" + server.actualPort() + "/v1/requests?limit=50";
        HttpClient http = HttpClient.newHttpClient();
        String middle = middleCursor(db, rows);
        System.out.printf("%-34s %10s %10s %10s   %10s %10s %10s%n", "case (limit 50)", "1st p50", "1st p95", "1st max",
            "next p50", "next p95", "next max");
        timeCase(http, "all requests", base, runs);
        timeCase(http, "one key (key=key-7)", base + "&key=key-7", runs);
        timeCase(http, "one provider (provider=deepseek)", base + "&provider=deepseek", runs);
        timeCase(http, "failures (status=error)", base + "&status=error", runs);
        timeCase(http, "deep: cursor at the middle row", base + "&cursor=" + middle, runs);
        // the same first and next pages read in process (no HTTP, no thread hops): the database's share
        RequestLogQueries q = new RequestLogQueries(db);
        var mid = dev.salesagent.router.routing.RequestLog.Cursor.parse(middle);
        System.out.printf("%-34s %10s %10s %10s   %10s %10s %10s%n", "in process (RequestLogQueries)", "1st p50", "1st p95",
            "1st max", "next p50", "next p95", "next max");
        timeQuery(q, "all requests", dev.salesagent.router.routing.RequestLog.Filter.ALL, null, runs);
        timeQuery(q, "one key", new dev.salesagent.router.routing.RequestLog.Filter("key-7", null, null, null, null), null, runs);
        timeQuery(q, "one provider", new dev.salesagent.router.routing.RequestLog.Filter(null, "deepseek", null, null, null), null, runs);
        timeQuery(q, "failures", new dev.salesagent.router.routing.RequestLog.Filter(null, null, null, "error", null), null, runs);
        timeQuery(q, "deep", dev.salesagent.router.routing.RequestLog.Filter.ALL, mid, runs);
        // the usage reads over the usage_ledger view (V11): both halves by their time / key-and-time indexes. Each run
        // asks for a window a few ms later than the last: H2 returns a repeated query's cached result while no table
        // changed, which would time the cache
        System.out.printf("%-40s %10s %10s %10s%n", "usage over the ledger view", "p50", "p95", "max");
        timeRead("timeseries 24 h by hour, by provider", runs, () -> {
          Instant now = Instant.now();
          return q.timeseries(now.minus(Duration.ofDays(1)), now, dev.salesagent.router.routing.RequestLog.BucketSize.HOUR,
              dev.salesagent.router.routing.RequestLog.Split.PROVIDER, null);
        });
        timeRead("timeseries 7 days by day, one key", runs, () -> {
          Instant now = Instant.now();
          return q.timeseries(now.minus(Duration.ofDays(7)), now, dev.salesagent.router.routing.RequestLog.BucketSize.DAY, null, "key-7");
        });
        timeRead("provider stats, last hour", runs, () -> q.providerStats(Instant.now().minus(Duration.ofHours(1))));
        var usage = new dev.salesagent.store.ledger.UsageQueries(db);
        timeRead("usage totals by provider, one key, 1 day", runs, () -> usage.totals(List.of("provider"),
            new dev.salesagent.router.routing.UsageFilter(Instant.now().minus(Duration.ofDays(1)), null, "key-7", null, null, null, null)));
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Times the page at {@code url} and the page its {@code next_cursor} leads to. */
  private static void timeCase(HttpClient http, String name, String url, int runs) throws Exception {
    long[] first = new long[runs];
    long[] next = new long[runs];
    for (int i = -10; i < runs; i++) {
      long a = System.nanoTime();
      JsonNode page = get(http, url);
      long b = System.nanoTime();
      if (page.get("data").size() != 50) throw new IllegalStateException(name + ": page has " + page.get("data").size() + " rows");
      String cursor = page.get("next_cursor").asText();
      long c = System.nanoTime();
      JsonNode second = get(http, url.replaceAll("&cursor=[^&]*", "") + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      long d = System.nanoTime();
      if (second.get("data").size() != 50) throw new IllegalStateException(name + ": next page has " + second.get("data").size() + " rows");
      if (i >= 0) {
        first[i] = b - a;
        next[i] = d - c;
      }
    }
    System.out.printf("%-34s %8.1fms %8.1fms %8.1fms   %8.1fms %8.1fms %8.1fms%n", name, pct(first, 50), pct(first, 95),
        pct(first, 100), pct(next, 50), pct(next, 95), pct(next, 100));
  }

  private static void timeQuery(RequestLogQueries q, String name, dev.salesagent.router.routing.RequestLog.Filter f,
                                dev.salesagent.router.routing.RequestLog.Cursor start, int runs) {
    long[] first = new long[runs];
    long[] next = new long[runs];
    for (int i = -10; i < runs; i++) {
      long a = System.nanoTime();
      var page = q.page(f, start, 51);
      long b = System.nanoTime();
      var second = q.page(f, dev.salesagent.router.routing.RequestLog.Cursor.after(page.get(49)), 51);
      long c = System.nanoTime();
      if (second.size() != 51) throw new IllegalStateException(name + ": short page");
      if (i >= 0) {
        first[i] = b - a;
        next[i] = c - b;
      }
    }
    System.out.printf("%-34s %8.1fms %8.1fms %8.1fms   %8.1fms %8.1fms %8.1fms%n", name, pct(first, 50), pct(first, 95),
        pct(first, 100), pct(next, 50), pct(next, 95), pct(next, 100));
  }

  private static void timeRead(String name, int runs, java.util.function.Supplier<List<?>> read) {
    long[] t = new long[runs];
    for (int i = -10; i < runs; i++) {
      long a = System.nanoTime();
      if (read.get().isEmpty()) throw new IllegalStateException(name + ": nothing read");
      if (i >= 0) t[i] = System.nanoTime() - a;
    }
    System.out.printf("%-40s %8.1fms %8.1fms %8.1fms%n", name, pct(t, 50), pct(t, 95), pct(t, 100));
  }

  private static JsonNode get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer " + ADMIN)
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException(url + " → " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }

  private static double pct(long[] nanos, int p) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    int idx = Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1);
    return s[Math.max(0, idx)] / 1e6;
  }

  /** A cursor at the middle row of the log (set-up only: the one OFFSET here is not what is measured). */
  private static String middleCursor(Database db, int rows) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT ended_at, request_id FROM request_log ORDER BY ended_at DESC,"
        + " request_id DESC LIMIT 1 OFFSET " + rows / 2).map((rs, ctx) -> new dev.salesagent.router.routing.RequestLog.Cursor(
        rs.getObject(1, java.time.OffsetDateTime.class).toInstant(), rs.getString(2)).wire()).one());
  }

  /**
   * {@code rows} requests over the last 30 days in time order, inserted in batches of 5,000 (JDBC, one transaction
   * per batch).
   */
  private static void generate(Database db, int rows) throws Exception {
    Random rnd = new Random(42);
    Instant end = Instant.now();
    long spanMs = Duration.ofDays(30).toMillis();
    String sql = "INSERT INTO request_log (request_id, started_at, ended_at, api_key_id, task, requested_model,"
        + " first_provider, provider, model, outcome, status, attempts, failed_attempts, retries, fallbacks, input_tokens,"
        + " output_tokens, cost_usd, latency_ms, streamed, single_attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        + " ?, ?, ?, ?, ?, ?)";
    db.jdbi().useHandle(h -> {
      Connection c = h.getConnection();
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < rows; i++) {
          int p = rnd.nextInt(PROVIDERS.length);
          boolean failed = rnd.nextInt(100) < 8;
          boolean fallback = !failed && rnd.nextInt(100) < 5;
          long latency = 80 + rnd.nextInt(2500);
          // in time order, as a live log is written (random order would measure the generator, not the reads)
          Instant start = end.minusMillis(spanMs - (long) ((i + rnd.nextDouble()) * spanMs / rows));
          ps.setString(1, String.format("req_%08d_%08x", i, rnd.nextInt()));
          ps.setTimestamp(2, Timestamp.from(start));
          ps.setTimestamp(3, Timestamp.from(start.plusMillis(latency)));
          ps.setString(4, "key-" + rnd.nextInt(50));
          ps.setString(5, new String[] {"qualification", "content", "research", "parsing"}[p]);
          ps.setString(6, rnd.nextBoolean() ? "auto" : "task:" + new String[] {"qualification", "content", "research", "parsing"}[p]);
          ps.setString(7, fallback ? PROVIDERS[(p + 1) % PROVIDERS.length] : PROVIDERS[p]);
          ps.setString(8, PROVIDERS[p]);
          ps.setString(9, MODELS[p]);
          ps.setString(10, failed ? OUTCOMES[rnd.nextInt(OUTCOMES.length)] : "ok");
          ps.setInt(11, failed ? 529 : 200);
          ps.setInt(12, fallback ? 2 : 1);
          ps.setInt(13, failed || fallback ? 1 : 0);
          ps.setInt(14, 0);
          ps.setInt(15, fallback ? 1 : 0);
          ps.setLong(16, 200 + rnd.nextInt(3000));
          ps.setLong(17, 20 + rnd.nextInt(800));
          ps.setBigDecimal(18, BigDecimal.valueOf(rnd.nextInt(5000), 6));
          ps.setLong(19, latency);
          ps.setBoolean(20, rnd.nextBoolean());
          // as the ledger's writer leaves it (V11): a single-attempt request is also its attempt's row in usage_ledger
          // (the fallbacks' attempt rows are not generated: the usage reads below see 95 % of the requests)
          ps.setBoolean(21, !fallback);
          ps.addBatch();
          if ((i + 1) % 5_000 == 0 || i == rows - 1) {
            ps.executeBatch();
            c.commit();
          }
        }
      }
      c.setAutoCommit(true);
      db.checkpoint(h);
    });
  }
}
