package dev.salesagent.store;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.api.ErrorCode;
import org.h2.tools.Server;

/**
 * One embedded H2 file shared by several processes on this machine ({@code serve}, {@code run}, {@code keys …}): the
 * first process to open it opens it embedded and serves it to the others through an H2 TCP server on a loopback
 * port; the others connect to that server. H2's own {@code AUTO_SERVER} does the same but cannot be combined with
 * {@code DB_CLOSE_ON_EXIT=FALSE}, which we need: our shutdown hooks write the last ledger rows and step records
 * after H2's own hook would have closed the database.
 *
 * <p>The server is found through {@code <file>.server} next to the database (port and a random database key, readable
 * by the owner's user only); the TCP server answers only loopback connections that name that key. When the serving
 * process exits, its clients' next connection finds the file stale and one of them opens the file itself and serves
 * it (a statement in flight at that moment fails once). Connections are made on demand, so the pool in front of this
 * (Hikari) re-resolves the owner whenever it replaces a connection.
 */
final class SharedH2File implements DataSource {
  private static final long WAIT_NANOS = 15_000_000_000L;

  private final String embeddedUrl;
  private final String clientSettings;
  private final Path dbPath;
  private final Path serverFile;
  private volatile Server server;
  private volatile String key;

  /** {@code url} is a {@code jdbc:h2:file:} URL (settings after {@code ;} allowed) without {@code AUTO_SERVER}. */
  SharedH2File(String url) {
    String rest = url.substring("jdbc:h2:file:".length());
    int semi = rest.indexOf(';');
    String path = semi < 0 ? rest : rest.substring(0, semi);
    String settings = semi < 0 ? "" : rest.substring(semi);
    this.dbPath = Path.of(path).toAbsolutePath().normalize();
    this.serverFile = Path.of(dbPath + ".server");
    this.embeddedUrl = "jdbc:h2:file:" + dbPath + settings;
    // DB_CLOSE_ON_EXIT concerns the serving process only; the other settings (WRITE_DELAY …) travel with a client
    this.clientSettings = settings.replaceAll("(?i);DB_CLOSE_ON_EXIT=[A-Z]+", "");
  }

  /** True for a URL this class can share: an H2 file URL that does not choose AUTO_SERVER itself. */
  static boolean applies(String url) {
    return url.startsWith("jdbc:h2:file:") && !url.toUpperCase(Locale.ROOT).contains("AUTO_SERVER");
  }

  /** Whether this process serves the file to others. */
  boolean serving() {
    return server != null;
  }

  @Override
  public Connection getConnection() throws SQLException {
    long deadline = System.nanoTime() + WAIT_NANOS;
    SQLException last = null;
    while (true) {
      if (server != null) return DriverManager.getConnection(embeddedUrl);
      String remote = remoteUrl();
      if (remote != null) {
        try {
          return DriverManager.getConnection(remote);
        } catch (SQLException e) {
          last = e; // the owner is going away: take over below, or wait for the next owner
        }
      }
      try {
        Connection c = DriverManager.getConnection(embeddedUrl);
        serve();
        return c;
      } catch (SQLException e) {
        if (e.getErrorCode() != ErrorCode.DATABASE_ALREADY_OPEN_1) throw e;
        last = e; // another process opened it a moment ago and is starting its server
      }
      if (System.nanoTime() > deadline) throw last;
      try {
        Thread.sleep(100); // another process's start-up or exit; bounded by WAIT_NANOS
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw last;
      }
    }
  }

  /** The TCP URL of the process serving the file, or {@code null} when none answers. */
  private String remoteUrl() {
    try {
      if (!Files.isRegularFile(serverFile)) return null;
      String[] f = Files.readString(serverFile, StandardCharsets.UTF_8).strip().split(" ");
      if (f.length != 2) return null;
      int port = Integer.parseInt(f[0]);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      }
      return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + f[1] + clientSettings;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private synchronized void serve() throws SQLException {
    if (server != null) return;
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    String k = "k" + HexFormat.of().formatHex(b);
    Server s = Server.createTcpServer("-tcpPort", "0", "-tcpDaemon", "-ifExists", "-key", k, dbPath.toString()).start();
    try {
      Path tmp = Path.of(serverFile + ".tmp");
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, s.getPort() + " " + k + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, serverFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, serverFile, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      s.stop();
      throw new SQLException("cannot write " + serverFile + ": " + e.getMessage(), e);
    }
    key = k;
    server = s;
  }

  /** Stops serving (after the pool closed): the clients' next connection finds another owner or becomes it. */
  synchronized void close() {
    Server s = server;
    if (s == null) return;
    server = null;
    try {
      String f = Files.isRegularFile(serverFile) ? Files.readString(serverFile, StandardCharsets.UTF_8) : "";
      if (f.contains(" " + key)) Files.deleteIfExists(serverFile);
    } catch (IOException ignored) {
      // a stale file is detected by the next process (nothing answers on its port)
    }
    s.stop();
  }

  // ---- the rest of DataSource: not used by the pool ----

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
