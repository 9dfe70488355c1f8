package dev.salesagent.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The one database of a process: a HikariCP pool over H2 (embedded file, the default) or PostgreSQL, migrated by
 * Flyway at start-up, used through JDBI. JDBC blocks, so callers run it off the event loop
 * ({@code vertx.executeBlocking} or a dedicated writer thread).
 *
 * <p>Migrations live in {@code db/migration}: V1 usage ledger; V2 API keys and budget counters; V3 leads and
 * pipeline results. The same files run on both databases, so they use only SQL both accept.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final String url;
  /** An H2 file shared with other processes, or {@code null}. */
  private final SharedH2File shared;

  private Database(String url, String user, String password, int poolSize) {
    this.url = url;
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

  /** The URL from {@code SALES_AGENT_DB_URL}, or {@code null} for the default. */
  public static String urlFromEnvironment() {
    return System.getenv("SALES_AGENT_DB_URL");
  }

  public Jdbi jdbi() { return jdbi; }

  public boolean isPostgres() { return url.startsWith("jdbc:postgresql:"); }

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
