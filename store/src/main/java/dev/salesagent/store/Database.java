package dev.salesagent.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one database of a process: a HikariCP pool over H2 (embedded file, the default) or PostgreSQL, migrated by
 * Flyway at start-up, used through JDBI. JDBC blocks, so callers run it off the event loop
 * ({@code vertx.executeBlocking} or a dedicated writer thread).
 *
 * <p>Migrations live in {@code db/migration}: V1 usage ledger; V2 API keys and budget counters; V3 leads and
 * pipeline results; V4 the estimated-usage flag; V5 owners of leads and runs (tenancy); V8 sends, the suppression list, replies and the CRM push queue. The same files run on both
 * databases, so they use only SQL both accept.
 *
 * <p>Durability: a PostgreSQL commit is on disk when it returns. An H2 commit is not: H2 keeps committed changes in
 * its in-memory MVStore and a background thread writes them to the file at most every {@code WRITE_DELAY} (500 ms by
 * default), and only when it gets the store lock — so a {@code kill -9} lost every commit since the last write (the
 * last 0.2–0.8 s under load, everything after a fresh start). Writers whose data must survive a crash call
 * {@link #checkpoint(Handle)} after their commit: on H2 a {@code CHECKPOINT}, one synchronous write of the store, on
 * PostgreSQL nothing. H2's background writer (and its file compaction) stay on for everything else.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final String url;
  /** An H2 file shared with other processes, or {@code null}. */
  private final SharedH2File shared;
  /** H2 outside memory: committed changes reach the file only through a store write. */
  private final boolean h2File;
  private final AtomicBoolean checkpointWarned = new AtomicBoolean();

  private Database(String given, String user, String password, int poolSize) {
    String url = closedByUs(given);
    this.url = url;
    this.h2File = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
    HikariConfig cfg = new HikariConfig();
    this.shared = SharedH2File.applies(url) ? new SharedH2File(url) : null;
    if (shared != null) cfg.setDataSource(shared); else cfg.setJdbcUrl(url);
    if (user != null) cfg.setUsername(user);
    if (password != null) cfg.setPassword(password);
    cfg.setMaximumPoolSize(poolSize);
    cfg.setPoolName("sales-agent-db");
    try {
      this.dataSource = new HikariDataSource(cfg);
    } catch (RuntimeException e) {
      if (shared != null) shared.close();
      throw e;
    }
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    this.jdbi = Jdbi.create(dataSource);
  }

  /**
   * Opens (and migrates) the database at {@code url}; {@code null} or blank means the default embedded H2 file
   * {@code ./data/sales-agent}. A PostgreSQL URL may carry {@code user} and {@code password} parameters.
   */
  public static Database open(String url) {
    String effective = url == null || url.isBlank() ? defaultUrl(Path.of("data")) : url.trim();
    return new Database(effective, null, null, 8);
  }

  /**
   * The embedded H2 file under {@code dir}. Several processes share an H2 file ({@link SharedH2File}): the first to open
   * it serves it to the others on loopback, so {@code keys create} or {@code run} work while {@code serve} runs, on
   * one database, and the report and {@code /v1/usage} agree.
   */
  public static String defaultUrl(Path dir) {
    return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("sales-agent") + ";DB_CLOSE_ON_EXIT=FALSE";
  }

  /**
   * {@code url} with {@code ;DB_CLOSE_ON_EXIT=FALSE} added when it is an embedded H2 file that does not say: H2's own
   * shutdown hook would otherwise close the database while ours still write the ledger's last rows and the pipeline's
   * step records, and a stop would lose them. An explicit setting, {@code AUTO_SERVER} (which cannot be combined with
   * it), in-memory and remote H2 URLs and other databases are left as they are.
   */
  static String closedByUs(String url) {
    if (!url.startsWith("jdbc:h2:")) return url;
    String rest = url.substring("jdbc:h2:".length());
    String upper = url.toUpperCase(java.util.Locale.ROOT);
    boolean embeddedFile = !rest.startsWith("mem:") && !rest.startsWith("tcp:") && !rest.startsWith("ssl:");
    if (!embeddedFile || upper.contains(";DB_CLOSE_ON_EXIT=") || upper.contains(";AUTO_SERVER=TRUE")) return url;
    return (url.endsWith(";") ? url : url + ";") + "DB_CLOSE_ON_EXIT=FALSE";
  }

  /** The URL from {@code SALES_AGENT_DB_URL}, or {@code null} for the default. */
  public static String urlFromEnvironment() {
    return System.getenv("SALES_AGENT_DB_URL");
  }

  public Jdbi jdbi() { return jdbi; }

  public boolean isPostgres() { return url.startsWith("jdbc:postgresql:"); }

  /**
   * Makes everything committed so far survive a crash of this process (not a power cut: nothing calls fsync): on H2 a
   * synchronous store write ({@code CHECKPOINT}), on PostgreSQL and in-memory H2 nothing. Call it after the commit of
   * a write that is promised durable (usage-ledger batches, budget write-behind, key changes). Blocking; a failure is
   * logged once and otherwise ignored (the data stays committed and H2's own writer still stores it later).
   */
  public void checkpoint(Handle h) {
    if (!h2File) return;
    try {
      h.execute("CHECKPOINT");
    } catch (RuntimeException e) {
      if (checkpointWarned.compareAndSet(false, true)) {
        log.warn("CHECKPOINT failed ({}): commits reach the H2 file only with H2's write delay; a crash may lose them",
            e.getMessage());
      }
    }
  }

  /** {@link #checkpoint(Handle)} on a connection of its own. */
  public void checkpoint() {
    if (h2File) jdbi.useHandle(this::checkpoint);
  }

  /** A cheap reachability check for readiness probes. Blocking. */
  public boolean ping() {
    try (var c = dataSource.getConnection()) {
      return c.isValid(2);
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
    if (shared != null) shared.close();
  }
}
