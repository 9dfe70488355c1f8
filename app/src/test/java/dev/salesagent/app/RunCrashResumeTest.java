package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.salesagent.agent.pipeline.StepRecord;
import dev.salesagent.agent.pipeline.StepStatus;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.store.Database;
import dev.salesagent.store.lead.JdbiRunStore;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test: a {@code run} subprocess is killed with SIGKILL mid-run; {@code run --resume} then finishes with no
 * finished step executed again (their records are untouched and the emulators saw no more requests than the
 * uninterrupted run plus the calls that were in flight at the kill) and writes the same results as an uninterrupted run.
 *
 * <p>The in-process runs use {@link #emulator}; the subprocesses that get killed use {@link #slowEmulator}, whose 1 s
 * per call leaves many seconds between the moment the test decides to stop a run and the moment it would have ended on
 * its own — however slow the machine is to deliver the signal (answers are the same on both; only latency differs).
 */
class RunCrashResumeTest {
  static Vertx vertx;
  static Emulator emulator;
  static Emulator slowEmulator;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    emulator = Emulator.start(vertx, EmulatorOptions.defaults().withLatency(150))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    slowEmulator = Emulator.start(vertx, EmulatorOptions.defaults().withLatency(1_000))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    emulator.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    slowEmulator.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close();
    RouterBoot.overrideEnv(null);
  }

  Map<String, String> env(String dbUrl) {
    return env(dbUrl, emulator);
  }

  /**
   * Waits until {@code e} has counted every request a killed process wrote before it died (they may still be in its
   * socket buffers): the count stops moving.
   */
  static long settledCount(Emulator e) {
    long[] last = {-1};
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      long n = e.stats().total("*");
      boolean settled = n == last[0];
      last[0] = n;
      return settled;
    });
    return last[0];
  }

  Map<String, String> env(String dbUrl, Emulator emulator) {
    return envFor(dbUrl, emulator);
  }

  /** The providers pointed at {@code emulator}, the database at {@code dbUrl}. */
  static Map<String, String> envFor(String dbUrl, Emulator emulator) {
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_API_KEY", "k");
    env.put("CEREBRAS_API_KEY", "k");
    env.put("DEEPSEEK_API_KEY", "k");
    env.put("ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl());
    env.put("CEREBRAS_BASE_URL", emulator.openAiRootUrl());
    env.put("DEEPSEEK_BASE_URL", emulator.openAiBaseUrl());
    env.put("OLLAMA_HOST", emulator.ollamaBaseUrl());
    env.put("SALES_AGENT_DB_URL", dbUrl);
    return env;
  }

  static String h2(Path p) {
    return "jdbc:h2:file:" + p.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
  }

  @Test
  void sigkillMidRunThenResumeRepeatsNoFinishedStep() throws Exception {
    Path csv = dir.resolve("leads.csv");
    try (InputStream in = getClass().getResourceAsStream("/samples/leads.csv")) {
      Files.copy(in, csv);
    }
    // 1. the uninterrupted reference run (in-process)
    emulator.stats().reset();
    RouterBoot.overrideEnv(env(h2(dir.resolve("ref-db"))));
    assertThat(Main.execute("run", csv.toString(), "--out", dir.resolve("ref").toString(), "--concurrency", "4")).isZero();
    long reference = emulator.stats().total("*");
    assertThat(reference).isGreaterThan(45);

    // 2. the same run in a subprocess (on the slow emulator), killed with SIGKILL mid-run: once three rounds of four
    // calls went out — steps are finished, and some 75 calls (about 19 s of them) are still to come
    slowEmulator.stats().reset();
    emulator.stats().reset();
    String db = h2(dir.resolve("crash-db"));
    Path out = dir.resolve("out");
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", cp, "dev.salesagent.app.Main", "run", csv.toString(), "--out", out.toString(), "--concurrency", "4"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("crash.log").toFile());
    pb.environment().putAll(env(db, slowEmulator));
    Process p = pb.start();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
        .until(() -> slowEmulator.stats().total("*") >= 12 || !p.isAlive());
    assertThat(p.isAlive()).as("the run must still be going when it is killed: " + Files.readString(dir.resolve("crash.log"))).isTrue();
    Runtime.getRuntime().exec(new String[] {"kill", "-9", Long.toString(p.pid())}).waitFor();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137);
    long beforeResume = settledCount(slowEmulator); // requests of the dead process still in the emulator's buffers

    Map<String, StepRecord> atKill;
    String runId;
    try (Database d = Database.open(db)) {
      JdbiRunStore store = new JdbiRunStore(d);
      runId = store.latestRunFor(out.toAbsolutePath().normalize().toString()).orElseThrow().id();
      atKill = store.steps(runId);
    }
    long finishedAtKill = atKill.values().stream().filter(r -> r.status() == StepStatus.DONE).count();
    long inFlightAtKill = atKill.values().stream().filter(r -> r.status() == StepStatus.RUNNING).count();
    assertThat(finishedAtKill).isPositive();
    assertThat(inFlightAtKill).isLessThanOrEqualTo(4);

    // 3. --resume finishes the run (in-process, on the quick emulator)
    RouterBoot.overrideEnv(env(db));
    assertThat(Main.execute("run", "--resume", "--out", out.toString(), "--concurrency", "4")).isZero();
    long total = beforeResume + emulator.stats().total("*");
    // every finished step was read back, not called again: only unfinished steps cost requests
    assertThat(total).isGreaterThanOrEqualTo(reference).isLessThanOrEqualTo(reference + inFlightAtKill);
    assertThat(total - beforeResume).isLessThanOrEqualTo(reference - finishedAtKill);
    try (Database d = Database.open(db)) {
      Map<String, StepRecord> after = new JdbiRunStore(d).steps(runId);
      for (StepRecord before : atKill.values()) {
        if (before.status() != StepStatus.DONE) continue;
        StepRecord now = after.get(before.key());
        assertThat(now.finishedAt()).as(before.key()).isEqualTo(before.finishedAt());
        assertThat(now.resultJson()).isEqualTo(before.resultJson());
      }
      assertThat(after.values()).allMatch(r -> r.status() != StepStatus.RUNNING);
    }
    // 4. the same results as the uninterrupted run
    assertThat(Files.readString(out.resolve("results.csv"))).isEqualTo(Files.readString(dir.resolve("ref").resolve("results.csv")));
    String report = Files.readString(out.resolve("report.md"));
    String refReport = Files.readString(dir.resolve("ref").resolve("report.md"));
    assertThat(section(report, "## Tiers")).isEqualTo(section(refReport, "## Tiers"));
  }

  @Test
  void ctrlCStopsCleanlyAndResumeFinishes() throws Exception {
    Path csv = dir.resolve("leads.csv");
    try (InputStream in = getClass().getResourceAsStream("/samples/leads.csv")) {
      Files.copy(in, csv);
    }
    String db = h2(dir.resolve("int-db"));
    Path out = dir.resolve("out");
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    // A build started in the background (nohup, some CI runners) hands SIGINT down ignored, and a JVM started that way
    // rightly keeps ignoring it; env (GNU coreutils) puts it back to the default for the child, so this tests the
    // run's Ctrl-C handling, not how the build was started.
    ProcessBuilder pb = new ProcessBuilder("env", "--default-signal=INT",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
        "dev.salesagent.app.Main", "run", csv.toString(), "--out", out.toString(), "--concurrency", "4")
        .redirectErrorStream(true).redirectOutput(dir.resolve("int.log").toFile());
    pb.environment().putAll(env(db, slowEmulator));
    slowEmulator.stats().reset();
    Process p = pb.start();
    // two rounds of four calls went out; some 80 calls (about 20 s of them) are still to come when Ctrl-C arrives
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
        .until(() -> slowEmulator.stats().total("*") >= 8 || !p.isAlive());
    assertThat(p.isAlive()).as(Files.readString(dir.resolve("int.log"))).isTrue();
    Runtime.getRuntime().exec(new String[] {"kill", "-INT", Long.toString(p.pid())}).waitFor();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(dir.resolve("int.log"));
    assertThat(p.exitValue()).as(log).isEqualTo(130);
    assertThat(log).contains("stopping: no new calls").contains("run again with --resume");
    assertThat(out.resolve("results.csv")).exists();
    assertThat(Files.readString(out.resolve("report.md"))).contains("Status: interrupted");
    try (Database d = Database.open(db)) {
      JdbiRunStore store = new JdbiRunStore(d);
      var run = store.latestRunFor(out.toAbsolutePath().normalize().toString()).orElseThrow();
      assertThat(run.status()).isEqualTo("interrupted");
      // the calls in flight were let finish and recorded: nothing is left running
      assertThat(store.steps(run.id()).values()).noneMatch(r -> r.status() == StepStatus.RUNNING);
      long ledgerRows = d.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_ledger WHERE request_id LIKE :p")
          .bind("p", run.id() + ":%").mapTo(Long.class).one());
      assertThat(ledgerRows).as("the ledger was flushed on the way out").isEqualTo(slowEmulator.stats().total("*"));
    }
    RouterBoot.overrideEnv(env(db));
    assertThat(Main.execute("run", "--resume", "--out", out.toString())).isZero();
    assertThat(Files.readString(out.resolve("report.md"))).contains("Status: completed").contains("| qualify | 45 |");
  }

  static String section(String md, String title) {
    int i = md.indexOf(title);
    int j = md.indexOf("\n## ", i + title.length());
    return md.substring(i, j < 0 ? md.length() : j);
  }
}
