package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --warmup-seconds}: the gateway warms a private copy of itself against the built-in emulators before it
 * listens, and nothing of that reaches the real gateway's ledger, keys or metrics. Runs {@code serve} as a process, as
 * an operator would, and stops it with SIGTERM.
 */
class ServeWarmupTest {
  private static final String ADMIN = "sk-admin-warmup-test-0123456789";
  private static final Pattern LISTENING = Pattern.compile("gateway listening on http://127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path dir;

  @Test
  void warmsUpBeforeListeningAndLeavesNoTraceInTheRealGateway() throws Exception {
    Path log = dir.resolve("serve.log");
    Process p = serve(log, dir.resolve("tmp"), "--port", "0", "--warmup-seconds", "2");
    try {
      int port = awaitPort(p, log);
      String out = Files.readString(log);
      assertThat(out).contains("serve: warming up for 2 s");
      Matcher done = Pattern.compile("warm-up done in [0-9.]+ s: (\\d+) requests, (\\d+) answered, (\\d+) keys").matcher(out);
      assertThat(done.find()).as(out).isTrue();
      assertThat(Long.parseLong(done.group(2))).as("warm-up requests answered 200").isPositive();
      assertThat(done.group(2)).as("every warm-up request answered").isEqualTo(done.group(1));
      assertThat(done.group(3)).as("the admin key and the two client keys the warm-up made").isEqualTo("3");

      HttpClient http = HttpClient.newHttpClient();
      assertThat(get(http, port, "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> usage = get(http, port, "/v1/usage");
      assertThat(usage.statusCode()).isEqualTo(200);
      assertThat(usage.body()).as("the real ledger is empty").contains("\"data\":[]");
      String metrics = get(http, port, "/metrics").body();
      assertThat(metrics).as("no warm-up attempt in the real meters").doesNotContain("gen_ai_client_operation_duration_seconds_count{");
      assertThat(metrics).doesNotContain("sk-warmup-");
    } finally {
      p.destroy(); // SIGTERM: graceful stop
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(p.exitValue()).as(Files.readString(log)).isIn(0, 143);
    assertThat(Files.readString(log)).as("the access log is drained at shutdown").contains("path=/v1/usage status=200");
  }

  @Test
  void aTakenPortIsReportedBeforeTheWarmUpNotAfterIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path log = dir.resolve("busy.log");
      Process p = serve(log, dir.resolve("tmp"), "--port", Integer.toString(taken.getLocalPort()), "--warmup-seconds", "120");
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("a 120 s warm-up was not started").isTrue();
      String out = Files.readString(log);
      assertThat(p.exitValue()).as(out).isEqualTo(Main.EXIT_USAGE);
      assertThat(out).contains("serve: could not start: cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .doesNotContain("warming up");
    }
  }

  @Test
  void stoppingDuringTheWarmUpLeavesNoThrowawayDatabaseBehind() throws Exception {
    Path tmp = dir.resolve("tmp");
    Path log = dir.resolve("stopped.log");
    Process p = serve(log, tmp, "--port", "0", "--warmup-seconds", "120");
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> warmUpDatabaseExists(tmp) || !p.isAlive());
      assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
      assertThat(warmUpDatabaseExists(tmp)).as("the warm-up's database appeared").isTrue();
    } finally {
      p.destroy(); // SIGTERM in the middle of the warm-up
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(x -> x.getFileName().toString())).as(Files.readString(log))
          .noneMatch(n -> n.startsWith("sales-agent-warmup"));
    }
  }

  private static boolean warmUpDatabaseExists(Path tmp) throws Exception {
    if (!Files.isDirectory(tmp)) return false;
    try (Stream<Path> s = Files.walk(tmp)) {
      return s.anyMatch(x -> x.toString().contains("sales-agent-warmup") && x.getFileName().toString().endsWith(".mv.db"));
    }
  }

  /** {@code serve} as its own process, stdout and stderr to {@code log}, temp files under {@code tmp}. */
  private Process serve(Path log, Path tmp, String... args) throws Exception {
    Files.createDirectories(tmp);
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + tmp.toAbsolutePath(), "-cp", cp, "dev.salesagent.app.Main", "serve",
        "--db-url", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SALES_AGENT_ADMIN_KEY", ADMIN);
    return pb.start();
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("authorization", "Bearer " + ADMIN).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int awaitPort(Process p, Path log) throws Exception {
    String out = await().atMost(Duration.ofSeconds(90))
        .until(() -> Files.exists(log) ? Files.readString(log) : "", o -> LISTENING.matcher(o).find() || !p.isAlive());
    Matcher m = LISTENING.matcher(out);
    assertThat(m.find()).as("serve exited early: " + out).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
