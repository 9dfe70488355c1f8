package dev.salesagent.store.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL server for integration tests: one per JVM, started on first use and stopped by a
 * shutdown hook.
 *
 * <ol>
 *   <li>Finds {@code initdb}/{@code pg_ctl} under {@code /usr/lib/postgresql/<version>/bin} (newest version), or
 *       {@code PG_BIN} when set. When there is none it installs the Debian package
 *       ({@code DEBIAN_FRONTEND=noninteractive apt-get update && apt-get install -y postgresql}) — as root, or through
 *       {@code sudo -n}.</li>
 *   <li>{@code initdb}s a fresh cluster in {@code target/pg-test-<pid>} (trust auth on loopback, fsync off: it is
 *       throwaway). {@code initdb} refuses to run as root, so as root the directory is handed to the {@code postgres}
 *       system user (created by the package) and the server runs as that user via {@code runuser}.</li>
 *   <li>Starts it on a free loopback port with {@code pg_ctl -w} and creates databases on demand
 *       ({@link #newDatabaseUrl}).</li>
 * </ol>
 *
 * <p>Anything that fails throws {@link IllegalStateException} with the tool's output: the PostgreSQL tests then fail
 * loudly, they are never silently skipped.
 */
public final class PostgresTestServer {
  private static PostgresTestServer instance;
  private static final AtomicInteger DB_SEQ = new AtomicInteger();

  private final Path binDir;
  private final Path dataDir;
  private final Path socketDir;
  private final int port;
  private final boolean asPostgresUser;

  private PostgresTestServer(Path binDir, Path dataDir, Path socketDir, int port, boolean asPostgresUser) {
    this.binDir = binDir;
    this.dataDir = dataDir;
    this.socketDir = socketDir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** The server of this JVM, started on first call. */
  public static synchronized PostgresTestServer get() {
    if (instance == null) instance = start();
    return instance;
  }

  public int port() { return port; }

  /** A new empty database on the server, as a JDBC URL with user {@code postgres}. */
  public String newDatabaseUrl(String hint) {
    String name = (hint.replaceAll("[^A-Za-z0-9]", "_") + "_" + DB_SEQ.incrementAndGet()).toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(url("postgres"));
         Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (Exception e) {
      throw new IllegalStateException("could not create test database " + name + ": " + e.getMessage(), e);
    }
    return url(name);
  }

  private String url(String db) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?user=postgres";
  }

  private static PostgresTestServer start() {
    Path bin = findBinDir();
    if (bin == null) {
      install();
      bin = findBinDir();
      if (bin == null) throw new IllegalStateException("PostgreSQL installed but no initdb under /usr/lib/postgresql/*/bin");
    }
    boolean root = isRoot();
    try {
      Path base = Path.of("target").toAbsolutePath();
      Files.createDirectories(base);
      Path dir = base.resolve("pg-test-" + ProcessHandle.current().pid());
      deleteTree(dir);
      Files.createDirectories(dir);
      Path data = dir.resolve("data");
      Path sock = dir.resolve("sock");
      Files.createDirectories(sock);
      if (root) {
        // The postgres user must be able to reach the directory: make the path traversable, hand it over.
        for (Path p = dir; p != null; p = p.getParent()) {
          try {
            var perms = Files.getPosixFilePermissions(p);
            perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(p, perms);
          } catch (IOException | UnsupportedOperationException ignored) {
            // best effort; initdb reports clearly if it cannot reach the directory
          }
        }
        run(List.of("chown", "-R", "postgres:postgres", dir.toString()), 30);
      } else {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      run(asUser(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
          "-E", "UTF8", "--locale=C", "--no-sync")), 120);
      int port = freePort();
      String opts = "-p " + port + " -k " + sock + " -c listen_addresses=127.0.0.1 -c fsync=off"
          + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
      run(asUser(root, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", opts, "-w", "-t", "60",
          "-l", dir.resolve("server.log").toString(), "start")), 90);
      PostgresTestServer s = new PostgresTestServer(bin, data, sock, port, root);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> s.stop(dir), "pg-test-stop"));
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("could not prepare the PostgreSQL test cluster: " + e.getMessage(), e);
    }
  }

  private void stop(Path dir) {
    try {
      run(asUser(asPostgresUser, List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m",
          "immediate", "-w", "stop")), 30);
    } catch (RuntimeException e) {
      System.err.println("pg-test: stop failed: " + e.getMessage());
    }
    try {
      deleteTree(dir);
    } catch (IOException ignored) {
      // target/ is cleaned by the build anyway
    }
  }

  private static List<String> asUser(boolean root, List<String> cmd) {
    if (!root) return cmd;
    List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    out.addAll(cmd);
    return out;
  }

  static Path findBinDir() {
    String env = System.getenv("PG_BIN");
    if (env != null && Files.isExecutable(Path.of(env, "initdb"))) return Path.of(env);
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) return null;
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.resolve("bin"))
          .filter(p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl")))
          .max(Comparator.comparingInt(PostgresTestServer::version))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static int version(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D.*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void install() {
    List<String> prefix = isRoot() ? List.of() : List.of("sudo", "-n");
    System.err.println("pg-test: PostgreSQL not found, installing the Debian package (apt-get install postgresql)");
    List<String> update = new ArrayList<>(prefix);
    update.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update"));
    List<String> inst = new ArrayList<>(prefix);
    inst.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "--no-install-recommends",
        "-o", "Dpkg::Options::=--force-confold", "postgresql"));
    try {
      run(update, 600);
      run(inst, 900);
    } catch (RuntimeException e) {
      throw new IllegalStateException("PostgreSQL is required for these tests and could not be installed: "
          + e.getMessage(), e);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String run(List<String> cmd, int timeoutSeconds) {
    try {
      File out = File.createTempFile("pg-test", ".log");
      out.deleteOnExit();
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out)
          .directory(new File("/")).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " timed out after " + timeoutSeconds + " s");
      }
      String text = Files.readString(out.toPath(), StandardCharsets.UTF_8);
      out.delete();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + tail(text));
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + cmd.get(0), e);
    }
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : "…" + s.substring(s.length() - 4000);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> w = Files.walk(dir)) {
      for (Path p : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
