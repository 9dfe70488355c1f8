package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reported case: {@code keys create} failed with a stack trace while {@code serve} held the default embedded H2
 * file. Every process here runs as an operator would run it — same working directory, no {@code --db-url}, no
 * {@code SALES_AGENT_DB_URL} — so all of them use the default database {@code ./data/sales-agent}.
 */
class SharedDefaultDatabaseTest {
  private static final String ADMIN = "sk-admin-shared-db-test-0123456789";
  private static final Pattern LISTENING = Pattern.compile("gateway listening on http://127\\.0\\.0\\.1:(\\d+)");
  static Vertx vertx;
  static Emulator emulator;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    emulator = Emulator.start(vertx, EmulatorOptions.defaults()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    emulator.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    vertx.close();
  }

  @Test
  void keysCreateAndRunWorkWhileServeHoldsTheDefaultDatabaseAndUsageAgrees() throws Exception {
    Path serveLog = dir.resolve("serve.log");
    // no JIT warm-up: this test is about the shared database (ServeWarmupTest covers the warm-up)
    Process serve = cli(serveLog, "serve", "--port", "0", "--warmup-seconds", "0");
    try {
      int port = awaitPort(serve, serveLog);

      // keys create against the same default database, while serve runs
      Path keysLog = dir.resolve("keys.log");
      Process keys = cli(keysLog, "keys", "create", "--name", "ci");
      assertThat(keys.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String keysOut = Files.readString(keysLog);
      assertThat(keys.exitValue()).as(keysOut).isZero();
      assertThat(keysOut).doesNotContain("Exception").doesNotContainPattern("\\n\\s+at [a-z]");
      String key = new ObjectMapper().readTree(keysOut.substring(keysOut.indexOf('{'), keysOut.indexOf('}') + 1)).get("key").asText();
      HttpClient http = HttpClient.newHttpClient();
      assertThat(get(http, port, "/v1/usage", key).statusCode()).as("the running gateway knows the new key").isEqualTo(200);

      // a run on the same default database: its report and the gateway's /v1/usage count the same attempts
      Path csv = dir.resolve("leads.csv");
      Files.writeString(csv, "First Name,Last Name,Email,Company,Job Title,Notes\n"
          + "Dana,Reyes,dana@northwind.com,Northwind,VP Sales,Inbound demo request; budget approved for Q1.\n"
          + "Ana,Ruiz,ana@orbit.io,Orbit,Head of Sales,Evaluating tools this quarter.\n");
      Path runLog = dir.resolve("run.log");
      Process run = cli(runLog, "run", csv.toString(), "--steps", "qualify", "--out", dir.resolve("out").toString());
      assertThat(run.waitFor(180, TimeUnit.SECONDS)).isTrue();
      assertThat(run.exitValue()).as(Files.readString(runLog)).isZero();
      String report = Files.readString(dir.resolve("out").resolve("report.md"));
      String runId = report.substring(report.indexOf('`') + 1, report.indexOf('`', report.indexOf('`') + 1));
      Matcher attempts = Pattern.compile("From the usage ledger \\((\\d+) attempts").matcher(report);
      assertThat(attempts.find()).as(report).isTrue();
      JsonNode usage = new ObjectMapper().readTree(get(http, port,
          "/v1/usage?group_by=task&request_id_prefix=" + runId + ":", ADMIN).body());
      long seen = 0;
      for (JsonNode row : usage.get("data")) seen += row.get("attempts").asLong();
      assertThat(seen).as(usage.toString()).isEqualTo(Long.parseLong(attempts.group(1))).isPositive();
    } finally {
      serve.destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readString(serveLog)).doesNotContain("Exception");
  }

  /**
   * An H2 URL of the operator's own that leaves out {@code DB_CLOSE_ON_EXIT}: H2's shutdown hook closed the database
   * under the gateway's, and a stop lost the ledger rows still queued ("Database is already closed" and the rows
   * retried until the process was gone).
   */
  @Test
  void aStopWritesEveryAnsweredRequestWhenTheGivenH2UrlLeavesOutDbCloseOnExit() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("given").toAbsolutePath();
    Path serveLog = dir.resolve("serve-given.log");
    Process serve = cli(serveLog, "serve", "--port", "0", "--warmup-seconds", "0", "--db-url", url);
    int answered = 0;
    try {
      int port = awaitPort(serve, serveLog);
      HttpClient http = HttpClient.newHttpClient();
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
            .header("authorization", "Bearer " + ADMIN).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":16,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi " + i + "\"}]}"))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (var c : calls) if (c.get(60, TimeUnit.SECONDS).statusCode() == 200) answered++;
    } finally {
      serve.destroy(); // at once: the last rows are still on the ledger's queue
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(answered).isEqualTo(40);
    assertThat(Files.readString(serveLog)).doesNotContain("Database is already closed").doesNotContain("Exception");
    try (dev.salesagent.store.Database db = dev.salesagent.store.Database.open(url)) {
      long rows = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_ledger").mapTo(Long.class).one());
      assertThat(rows).as("every answered request is in the ledger after the stop").isEqualTo(40);
    }
  }

  @Test
  void aDatabaseThatCannotBeOpenedIsOneLineNotAStackTrace() throws Exception {
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("db.mv.db"), "this is not an H2 database file ".repeat(200));
    Path log = dir.resolve("keys-bad.log");
    Process keys = cli(log, "keys", "list", "--db-url", "jdbc:h2:file:" + bad.resolve("db").toAbsolutePath());
    assertThat(keys.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(keys.exitValue()).as(out).isEqualTo(Main.EXIT_USAGE);
    assertThat(out).startsWith("sales-agent keys list: cannot use the database").doesNotContainPattern("\\n\\s+at [a-z]");
  }

  /** The CLI as its own process in {@code dir}, without database or configuration variables; providers at the emulator. */
  private Process cli(Path log, String... args) throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + dir.toAbsolutePath(), "-cp", cp, "dev.salesagent.app.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SALES_AGENT_") || k.endsWith("_API_KEY") || k.endsWith("_BASE_URL"));
    env.put("SALES_AGENT_ADMIN_KEY", ADMIN);
    env.put("ANTHROPIC_API_KEY", "k");
    env.put("CEREBRAS_API_KEY", "k");
    env.put("DEEPSEEK_API_KEY", "k");
    env.put("ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl());
    env.put("CEREBRAS_BASE_URL", emulator.openAiRootUrl());
    env.put("DEEPSEEK_BASE_URL", emulator.openAiBaseUrl());
    env.put("OLLAMA_HOST", emulator.ollamaBaseUrl());
    return pb.start();
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int awaitPort(Process p, Path log) {
    int[] port = new int[1];
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
      String out = Files.exists(log) ? Files.readString(log) : "";
      if (!p.isAlive()) throw new AssertionError("serve exited early: " + out);
      Matcher m = LISTENING.matcher(out);
      if (!m.find()) return false;
      port[0] = Integer.parseInt(m.group(1));
      return true;
    });
    return port[0];
  }
}
