package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
        "dev.salesagent.app.Main", "serve", "--port", "0", "--warmup-seconds", "2",
        "--db-url", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SALES_AGENT_ADMIN_KEY", ADMIN);
    Process p = pb.start();
    try {
      int port = awaitPort(p, log);
      String out = Files.readString(log);
      assertThat(out).contains("serve: warming up for 2 s");
      Matcher done = Pattern.compile("warm-up done in [0-9.]+ s: (\\d+) requests, (\\d+) answered").matcher(out);
      assertThat(done.find()).as(out).isTrue();
      assertThat(Long.parseLong(done.group(2))).as("warm-up requests answered 200").isPositive();
      assertThat(done.group(2)).as("every warm-up request answered").isEqualTo(done.group(1));

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

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("authorization", "Bearer " + ADMIN).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int awaitPort(Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String out = Files.exists(log) ? Files.readString(log) : "";
      Matcher m = LISTENING.matcher(out);
      if (m.find()) return Integer.parseInt(m.group(1));
      assertThat(p.isAlive()).as("serve exited early: " + out).isTrue();
      Thread.sleep(100);
    }
    throw new AssertionError("serve did not listen within 90 s: " + Files.readString(log));
  }
}
