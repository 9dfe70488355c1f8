package dev.salesagent.store.ledger;

import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.routing.UsageSink;
import dev.salesagent.store.Database;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable usage ledger: one row per attempt in the {@code usage_ledger} view — a request with one attempt is its
 * {@code request_log} row, the attempts of retried or fallen-back requests are {@code ledger_attempts} rows (V11).
 * {@link #record} never blocks — it puts the record on a bounded queue — and one writer thread inserts batches of up to {@code batchRows} rows (default
 * {@value #DEFAULT_BATCH}) at least every {@code flushInterval} (default 100 ms). Larger, rarer batches cost the
 * database much less per row (embedded H2 rewrites its index pages on every commit), at the price of a longer window
 * in which a crash — not a shutdown — loses rows. {@link #flush} and {@link #close} wait until everything recorded before the call is in the
 * database, so a shutdown hook that closes the ledger loses nothing.
 *
 * <p>When the queue is full (the database is down or far behind) a record is counted in {@link #dropped()} and logged
 * at error level rather than blocking the event loop; the capacity (default 262,144 rows) is minutes of peak traffic.
 * A failed batch is retried with backoff and never dropped while the ledger is open.
 */
public final class JdbcUsageLedger implements UsageSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcUsageLedger.class);
  static final int DEFAULT_BATCH = 500;
  private static final String INSERT =
      "INSERT INTO ledger_attempts (at, request_id, api_key_id, task, provider, model, input_tokens, cached_input_tokens,"
          + " output_tokens, cost_usd, latency_ms, outcome, status, streamed, usage_estimated, attempt_kind, ttft_ms) VALUES"
          + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Database db;
  private final int batchRows;
  private final ArrayBlockingQueue<UsageRecord> queue;
  private final long flushIntervalNanos;
  private final Thread writer;
  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Object progress = new Object();
  private volatile boolean closing;
  /** Set by flush: skip the wait that lets a burst fill a batch. */
  private volatile boolean flushRequested;
  private volatile boolean closed;
  private final UsageQueries queries;

  public JdbcUsageLedger(Database db) {
    this(db, 262_144, Duration.ofMillis(100));
  }

  public JdbcUsageLedger(Database db, int capacity, Duration flushInterval) {
    this(db, capacity, flushInterval, DEFAULT_BATCH);
  }

  public JdbcUsageLedger(Database db, int capacity, Duration flushInterval, int batchRows) {
    this.db = db;
    this.batchRows = Math.max(1, batchRows);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.flushIntervalNanos = flushInterval.toNanos();
    this.queries = new UsageQueries(db);
    this.writer = new Thread(this::writeLoop, "usage-ledger-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void record(UsageRecord r) {
    if (closed) {
      // After close nothing would write it: do it synchronously rather than lose it (only shutdown stragglers).
      try {
        insert(List.of(r));
      } catch (RuntimeException e) {
        dropped.incrementAndGet();
        log.error("usage ledger closed and the late record could not be written (request {})", r.requestId(), e);
      }
      return;
    }
    if (queue.offer(r)) {
      // The writer sleeps between batches rather than waiting on the queue, so an offer wakes nobody (no futex call
      // per request); only a full batch wakes it early.
      if (enqueued.incrementAndGet() - written.get() == batchRows) LockSupport.unpark(writer);
    } else {
      long n = dropped.incrementAndGet();
      if (n == 1 || n % 1000 == 0) {
        log.error("usage ledger queue full ({} rows): {} records dropped so far (database down or too slow?)",
            queue.size(), n);
      }
    }
  }

  /**
   * Meters the ledger's progress: {@code sales_agent_ledger_rows_written_total} (rows on disk, crash-safe),
   * {@code sales_agent_ledger_rows_dropped_total}, {@code sales_agent_ledger_rows_pending} (accepted, not yet written:
   * what a crash would lose). Read only when scraped.
   */
  public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.FunctionCounter.builder("sales_agent_ledger_rows_written", written, AtomicLong::doubleValue)
        .description("Usage-ledger rows written to the database (durable)").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("sales_agent_ledger_rows_dropped", dropped, AtomicLong::doubleValue)
        .description("Usage-ledger rows dropped because the queue was full").register(registry);
    io.micrometer.core.instrument.Gauge.builder("sales_agent_ledger_rows_pending", this, l -> l.pending())
        .description("Usage-ledger rows accepted and not yet written").register(registry);
  }

  /** Records dropped because the queue was full. */
  public long dropped() { return dropped.get(); }

  /** Records accepted and not yet written. */
  public long pending() { return enqueued.get() - written.get(); }

  /** Waits until every record accepted before this call is written, or the timeout passes. Blocking. */
  public boolean flush(Duration timeout) {
    long target = enqueued.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    flushRequested = true;
    LockSupport.unpark(writer);
    synchronized (progress) {
      while (written.get() < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, Math.min(left, 50_000_000L));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  /** {@link #flush(Duration)} with 30 s. */
  public void flush() {
    if (!flush(Duration.ofSeconds(30))) log.error("usage ledger flush timed out with {} rows pending", pending());
  }

  /** Flushes everything and stops the writer. Idempotent; safe from a shutdown hook. */
  @Override
  public void close() {
    if (closed) return;
    closing = true;
    flush();
    closed = true;
    // Unpark, never interrupt: an interrupt inside a JDBC call can close H2's file channel under the session.
    LockSupport.unpark(writer);
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Anything that slipped in between the flush and closed=true.
    List<UsageRecord> rest = new ArrayList<>();
    queue.drainTo(rest);
    if (!rest.isEmpty()) {
      insert(rest);
      written.addAndGet(rest.size());
    }
  }

  /** Read side: totals and rows. */
  public UsageQueries queries() { return queries; }

  /** Read side: the request log (one entry per request, its attempts, usage in time buckets). */
  public RequestLogQueries requestLog() { return new RequestLogQueries(db); }

  private void writeLoop() {
    List<UsageRecord> batch = new ArrayList<>(batchRows);
    long backoffMs = 100;
    while (!closed || !queue.isEmpty()) {
      try {
        if (batch.isEmpty()) {
          // Sleep a flush interval unless a full batch, a flush or close is already waiting; record/flush/close
          // unpark. A burst so fills the batch in the meantime.
          if (!closing && !flushRequested && pending() < batchRows) LockSupport.parkNanos(this, flushIntervalNanos);
          queue.drainTo(batch, batchRows);
          if (batch.isEmpty()) {
            if (flushRequested) signalProgress(0);
            continue;
          }
        }
        insert(batch);
        int n = batch.size();
        batch.clear();
        backoffMs = 100;
        signalProgress(n);
      } catch (RuntimeException e) {
        log.error("usage ledger: writing {} rows failed, retrying in {} ms", batch.size(), backoffMs, e);
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(backoffMs));
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
    if (!batch.isEmpty()) { // closed while the database kept failing: say so rather than lose rows silently
      dropped.addAndGet(batch.size());
      log.error("usage ledger closed with {} rows it could not write", batch.size());
    }
  }

  private void signalProgress(int rowsWritten) {
    synchronized (progress) {
      if (queue.isEmpty()) flushRequested = false;
      written.addAndGet(rowsWritten);
      progress.notifyAll();
    }
  }

  private void insert(List<UsageRecord> rows) {
    // one transaction: the attempts and the request log they build (RequestLogWriter) are written together
    db.jdbi().useHandle(h -> {
      h.useTransaction(tx -> batch(tx, rows));
      db.checkpoint(h); // on disk before the rows count as written: a kill -9 loses only what is still queued
    });
  }

  private static void batch(org.jdbi.v3.core.Handle h, List<UsageRecord> batch) {
    // a request with one attempt is one request_log row; only retried and fallen-back requests' attempts get rows here
    RequestLogWriter.Plan plan = RequestLogWriter.apply(h, batch);
    List<UsageRecord> rows = plan.attempts();
    List<String> kinds = plan.kinds();
    if (rows.isEmpty()) return;
    // plain JDBC with positional parameters: this runs for every row the gateway answers, and JDBI's per-bind lookups
    // (named parameters, argument factories) cost more than the insert's own work
    try (PreparedStatement ps = h.getConnection().prepareStatement(INSERT)) {
      for (int i = 0; i < rows.size(); i++) {
        UsageRecord r = rows.get(i);
        ps.setObject(1, OffsetDateTime.ofInstant(r.at() == null ? Instant.now() : r.at(), ZoneOffset.UTC));
        ps.setString(2, truncate(r.requestId(), 128));
        ps.setString(3, r.apiKeyId());
        ps.setString(4, truncate(r.task(), 64));
        ps.setString(5, truncate(r.provider(), 64));
        ps.setString(6, truncate(r.model(), 128));
        Jdbc.setInt(ps, 7, r.inputTokens());
        Jdbc.setInt(ps, 8, r.cachedInputTokens());
        Jdbc.setInt(ps, 9, r.outputTokens());
        ps.setBigDecimal(10, BigDecimal.valueOf(r.costUsd()));
        ps.setLong(11, r.latencyMs());
        ps.setString(12, truncate(r.outcome(), 32));
        Jdbc.setInt(ps, 13, r.status());
        ps.setBoolean(14, r.streamed());
        ps.setBoolean(15, r.usageEstimated());
        ps.setString(16, kinds.get(i));
        Jdbc.setLong(ps, 17, r.ttftMs());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("usage ledger insert failed: " + e.getMessage(), e);
    }
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

}
