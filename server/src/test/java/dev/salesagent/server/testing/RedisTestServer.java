package dev.salesagent.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real, throwaway {@code redis-server} for integration tests, on a free loopback port with no persistence (so a
 * restart comes back empty, as a Redis that was lost and rebuilt). Finds {@code redis-server} on the PATH or in
 * {@code /usr/bin}; when there is none it installs the Debian package ({@code apt-get install -y redis-server}) as
 * root or through {@code sudo -n}. Anything that fails throws {@link IllegalStateException}: the tests fail loudly,
 * they are never skipped.
 */
public final class RedisTestServer implements AutoCloseable {
  private final Path binary;
  private final Path dir;
  private final int port;
  private Process process;

  private RedisTestServer(Path binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  /** A new server (the caller closes it). */
  public static RedisTestServer start() {
    Path bin = find();
    if (bin == null) {
      install();
      bin = find();
      if (bin == null) throw new IllegalStateException("redis-server installed but not found in /usr/bin");
    }
    try {
      Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "redis-test-");
      RedisTestServer s = new RedisTestServer(bin, dir, freePort());
      s.startProcess();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("could not prepare the Redis test server: " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** Kills the server at once (SIGKILL): clients see their connections drop. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Starts it again on the same port, empty. */
  public synchronized void restart() {
    kill();
    startProcess();
  }

  private void startProcess() {
    try {
      process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "no")
          .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start redis-server: " + e.getMessage(), e);
    }
    Awaitility.await("redis-server answering on port " + port).atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20)).until(this::answersPing);
  }

  /** Sends a raw command (RESP): a status, error or integer reply as its line ({@code +OK}, {@code :1}), a bulk string as its text. */
  public String command(String... args) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(2000);
      StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') if (c != '\r') line.append((char) c);
      if (line.charAt(0) != '$' || line.toString().equals("$-1")) return line.toString();
      byte[] bulk = in.readNBytes(Integer.parseInt(line.substring(1)));
      return new String(bulk, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("redis command failed: " + e.getMessage(), e);
    }
  }

  private boolean answersPing() {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("redis-server exited; see " + dir.resolve("server.log"));
    }
    try {
      return "+PONG".equals(command("PING"));
    } catch (IllegalStateException e) {
      return false;
    }
  }

  @Override
  public void close() {
    kill();
  }

  private static Path find() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(d, "redis-server");
      if (Files.isExecutable(p)) return p;
    }
    Path p = Path.of("/usr/bin/redis-server");
    return Files.isExecutable(p) ? p : null;
  }

  private static void install() {
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> prefix = root ? List.of() : List.of("sudo", "-n");
    run(concat(prefix, List.of("apt-get", "update")));
    run(concat(prefix, List.of("apt-get", "install", "-y", "redis-server")));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private static void run(List<String> cmd) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
