package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.store.Database;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a real {@code serve} process under load, with its default embedded H2 database: what the API
 * answered must be in the database afterwards, as docs/OPERATIONS.md "Durability" promises — a key the admin API
 * created, every request answered before the ledger reported itself written, and at least every row the ledger
 * reported written before the kill (it counts a row written only once it is on disk). Before the fix, H2 kept commits
 * in memory for up to its write delay and such a kill lost them (all of them when the kill came soon after a start).
 */
class ServeCrashTest {
  private static final String ADMIN = "sk-admin-crash-test-0123456789";
  private static final Pattern LISTENING = Pattern.compile("gateway listening on http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern WRITTEN = Pattern.compile("(?m)^sales_agent_ledger_rows_written_total (\\S+)");
  private static final Pattern PENDING = Pattern.compile("(?m)^sales_agent_ledger_rows_pending (\\S+)");

  @TempDir Path dir;
  /** Requests not answered 200 and why (the quiet phase expects none). */
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private Vertx vertx;
  private Emulator emulator;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void upstream() throws Exception {
    vertx = Vertx.vertx();
    emulator = Emulator.start(vertx, EmulatorOptions.defaults()).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void down() throws Exception {
    emulator.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close();
  }

  @Test
  void killMinus9UnderLoadLosesNothingTheLedgerReportedWritten() throws Exception {
    Path log = dir.resolve("serve.log");
    Process p = serve(log);
    // four threads add to it at once: a plain HashSet lost an entry now and then (119 of 120)
    Set<String> answeredBeforeQuiet = java.util.concurrent.ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<String> answeredUnderLoad = new ConcurrentLinkedQueue<>();
    long writtenBeforeKill;
    String keyId;
    try {
      int port = awaitPort(p, log);
      HttpResponse<String> key = send(HttpRequest.newBuilder(uri(port, "/v1/admin/keys"))
          .header("authorization", "Bearer " + ADMIN).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"made-just-before-the-crash\",\"budget_usd\":5}")).build());
      assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
      Matcher id = Pattern.compile("\"id\":\"(key_[0-9a-f]+)\"").matcher(key.body());
      assertThat(id.find()).isTrue();
      keyId = id.group(1);

      // Phase 1: 120 requests, then wait until the ledger says every row is written.
      load(port, 4, 30, "quiet", answeredBeforeQuiet::add, new AtomicBoolean());
      assertThat(answeredBeforeQuiet).as("answered; failures: %s", failures).hasSize(120);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        String m = metrics(port);
        return value(WRITTEN, m) >= 120 && value(PENDING, m) == 0;
      });

      // Phase 2: load until killed; the kill comes once the ledger reported more rows written under load.
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> loaders = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int n = t;
        Thread th = new Thread(() -> load(port, 1, 100_000, "load" + n, answeredUnderLoad::add, stop));
        th.start();
        loaders.add(th);
      }
      AtomicLong seen = new AtomicLong();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        seen.set(value(WRITTEN, metrics(port)));
        return seen.get() >= 120 + Integer.getInteger("hostile.crash.rows", 300);
      });
      writtenBeforeKill = seen.get();
      p.destroyForcibly(); // SIGKILL, with requests in flight
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      stop.set(true);
      for (Thread th : loaders) th.join(30_000);
    } finally {
      if (p.isAlive()) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    try (Database db = Database.open(Database.defaultUrl(dir.resolve("data")))) {
      List<String> ids = db.jdbi().withHandle(h -> h.createQuery("SELECT request_id FROM usage_ledger")
          .mapTo(String.class).list());
      Set<String> inLedger = new HashSet<>(ids);
      String keyName = db.jdbi().withHandle(h -> h.createQuery("SELECT name FROM api_keys WHERE id = :id")
          .bind("id", keyId).mapTo(String.class).findOne().orElse(null));
      assertThat(keyName).as("the key the admin API created").isEqualTo("made-just-before-the-crash");
      assertThat(inLedger).as("every request answered before the ledger reported itself written")
          .containsAll(answeredBeforeQuiet);
      assertThat((long) ids.size()).as("rows on disk >= rows the ledger reported written before the kill")
          .isGreaterThanOrEqualTo(writtenBeforeKill);
      long missing = answeredUnderLoad.stream().filter(r -> !inLedger.contains(r)).count();
      System.out.printf("kill -9: %d answered under load, %d rows reported written before the kill, %d rows after,"
          + " %d answered requests missing%n", answeredUnderLoad.size(), writtenBeforeKill, ids.size(), missing);
    }
  }

  /** {@code threads} × {@code perThread} sequential chat requests (or until {@code stop}); answered ids to {@code sink}. */
  private void load(int port, int threads, int perThread, String name, java.util.function.Consumer<String> sink,
                    AtomicBoolean stop) {
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int n = t;
      Thread th = new Thread(() -> {
        for (int i = 0; i < perThread && !stop.get(); i++) {
          String rid = name + "-" + n + "-" + i;
          try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(port, "/v1/chat/completions"))
                .header("authorization", "Bearer " + ADMIN).header("content-type", "application/json")
                .header("x-request-id", rid)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"task:qualification\",\"max_tokens\":16,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Is Acme a fit? " + i + "\"}]}")).build());
            if (r.statusCode() == 200) sink.accept(rid);
            else failures.add(rid + ": HTTP " + r.statusCode() + " " + r.body());
          } catch (RuntimeException e) {
            if (stop.get()) return; // the server is gone
            failures.add(rid + ": " + e.getCause());
          }
        }
      });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      try {
        th.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private String metrics(int port) {
    return send(HttpRequest.newBuilder(uri(port, "/metrics")).GET().build()).body();
  }

  private static long value(Pattern p, String metrics) {
    Matcher m = p.matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  private HttpResponse<String> send(HttpRequest r) {
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** {@code serve} as its own process in {@code dir} (so its database is the default ./data one). */
  private Process serve(Path log) throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", cp, "dev.salesagent.app.Main", "serve", "--port", "0", "--no-access-log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("SALES_AGENT_ADMIN_KEY", ADMIN);
    pb.environment().remove("SALES_AGENT_DB_URL");
    pb.environment().remove("SALES_AGENT_CONFIG");
    pb.environment().put("ANTHROPIC_API_KEY", "test-key-a");
    pb.environment().put("CEREBRAS_API_KEY", "test-key-c");
    pb.environment().put("DEEPSEEK_API_KEY", "test-key-d");
    pb.environment().put("ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl());
    pb.environment().put("CEREBRAS_BASE_URL", emulator.openAiRootUrl());
    pb.environment().put("DEEPSEEK_BASE_URL", emulator.openAiBaseUrl());
    pb.environment().put("OLLAMA_HOST", emulator.ollamaBaseUrl());
    return pb.start();
  }

  private static int awaitPort(Process p, Path log) throws Exception {
    AtomicLong port = new AtomicLong();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      String out = Files.exists(log) ? Files.readString(log) : "";
      assertThat(p.isAlive()).as("serve exited early: " + out).isTrue();
      Matcher m = LISTENING.matcher(out);
      if (!m.find()) return false;
      port.set(Long.parseLong(m.group(1)));
      return true;
    });
    return (int) port.get();
  }
}
