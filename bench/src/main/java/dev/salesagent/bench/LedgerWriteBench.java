package dev.salesagent.bench;

import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.store.Database;
import dev.salesagent.store.ledger.JdbcUsageLedger;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the durable ledger costs the gateway per request: one producer records attempts at {@code --rate} per second
 * (as the event loops do, one attempt per request, ~{@code --retry-percent} of requests with a retry) into a
 * {@link JdbcUsageLedger} over a fresh H2 file, for {@code --seconds}; the CPU time of everything but the producer
 * (the ledger's writer thread, H2's background writer, GC) is divided by the rows written. CPU time, not wall time: on
 * the gateway that CPU is taken from the event loops, and it is what a busy machine cannot hide.
 *
 * <pre>
 * mvn -B -q -o -pl bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=$PWD/bench/target/rl.cp
 * java -XX:+UseSerialGC -Xmx512m -cp "bench/target/classes:$(cat bench/target/rl.cp)" dev.salesagent.bench.LedgerWriteBench \
 *   [--rate 10000] [--seconds 20] [--batch 500] [--flush-ms 100] [--retry-percent 2] [--unknown-attempts]
 *   [--h2-settings ";PAGE_SIZE=1024"]
 * </pre>
 */
public final class LedgerWriteBench {
  private static boolean unknownAttempts;

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    int rate = BenchArgs.integer(args, "--rate", 10_000);
    int seconds = BenchArgs.integer(args, "--seconds", 20);
    int batch = BenchArgs.integer(args, "--batch", 500);
    int flushMs = BenchArgs.integer(args, "--flush-ms", 100);
    int retryPercent = BenchArgs.integer(args, "--retry-percent", 2);
    // --unknown-attempts: records that do not say which attempt they are (as before they did): the writer looks each
    // request up in request_log
    unknownAttempts = java.util.Arrays.asList(args).contains("--unknown-attempts");
    Path dir = Path.of("target", "bench-ledger", UUID.randomUUID().toString()).toAbsolutePath();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    // --h2-settings ";PAGE_SIZE=1024": H2 settings appended to the database URL, to compare store layouts
    String settings = BenchArgs.string(args, "--h2-settings", "");
    try (Database db = Database.open(Database.defaultUrl(dir) + settings)) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db, 262_144, Duration.ofMillis(flushMs), batch);
      // a warm-up third of the time, then the measured part
      run(ledger, rate, Math.max(2, seconds / 3), retryPercent, 0);
      ledger.flush();
      long cpu0 = os.getProcessCpuTime();
      long mine0 = threads.getCurrentThreadCpuTime();
      long rows = run(ledger, rate, seconds, retryPercent, 1_000_000_000L);
      ledger.flush();
      long others = (os.getProcessCpuTime() - cpu0) - (threads.getCurrentThreadCpuTime() - mine0);
      ledger.close();
      System.out.printf("ledger write: %,d rows at %,d/s, batch %d, flush %d ms: %.1f µs CPU per row (writer, H2, GC)%n",
          rows, rate, batch, flushMs, others / 1e3 / rows);
    }
  }

  /** Records at {@code rate}/s for {@code seconds}; returns the rows recorded. */
  private static long run(JdbcUsageLedger ledger, int rate, int seconds, int retryPercent, long idBase) {
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long periodNanos = 1_000_000_000L / rate;
    long n = 0;
    long next = start;
    while (next < end) {
      long req = idBase + n;
      String id = "req_" + Long.toHexString(req) + "0123456789abcdef";
      boolean retried = Math.floorMod(req * 31, 100) < retryPercent;
      if (retried) {
        ledger.record(record(id, "rate_limited", 429, 0, 1));
        n++;
      }
      ledger.record(record(id, "ok", 200, 0.00012, retried ? 2 : 1));
      n++;
      next += periodNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) LockSupport.parkNanos(wait);
    }
    return n;
  }

  private static UsageRecord record(String id, String outcome, int status, double cost, int attemptNo) {
    boolean ok = status == 200;
    return new UsageRecord(Instant.now(), id, "key_" + (id.hashCode() & 7), "auto", "bench", "gpt-4o-mini",
        ok ? 42 : null, ok ? 0 : null, ok ? 96 : null, cost, 3, outcome, status, false, false, "gpt-4o-mini", null,
        unknownAttempts ? 0 : attemptNo);
  }

}
