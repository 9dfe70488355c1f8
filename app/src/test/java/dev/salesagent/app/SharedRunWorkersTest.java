package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.salesagent.agent.pipeline.StepRecord;
import dev.salesagent.agent.pipeline.StepStatus;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.store.Database;
import dev.salesagent.store.lead.JdbiRunStore;
import dev.salesagent.store.testing.PostgresTestServer;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code run --run-id} workers (child JVMs) on one PostgreSQL run, one killed with SIGKILL mid-run: the other
 * takes its leads over once their leases expire and finishes the run; the emulators saw as many requests as an
 * uninterrupted single-worker run plus at most the calls the killed worker had in flight, and the results are the
 * same. The killed worker, started again, joins the completed run, calls nothing, exits 0 and writes the same files.
 */
class SharedRunWorkersTest {
  static Vertx vertx;
  static Emulator emulator;
  static Emulator slowEmulator;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    emulator = Emulator.start(vertx, EmulatorOptions.defaults().withLatency(150))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    // 1 s per call: the workers are still busy for many seconds whenever the test decides to kill one
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

  @Test
  void aKilledWorkersLeadsAreTakenOverAndEveryStepIsCalledOnce() throws Exception {
    Path csv = dir.resolve("leads.csv");
    try (InputStream in = getClass().getResourceAsStream("/samples/leads.csv")) {
      Files.copy(in, csv);
    }
    PostgresTestServer pg = PostgresTestServer.get();
    // 1. the reference: one worker, uninterrupted (in-process)
    emulator.stats().reset();
    RouterBoot.overrideEnv(RunCrashResumeTest.envFor(pg.newDatabaseUrl("ref_run"), emulator));
    assertThat(Main.execute("run", csv.toString(), "--out", dir.resolve("ref").toString(), "--concurrency", "4",
        "--run-id", "ref")).isZero();
    long reference = emulator.stats().total("*");
    assertThat(reference).isGreaterThan(45);

    // 2. two workers on one run; A is killed once it holds leases and some steps are done
    String db = pg.newDatabaseUrl("shared_run");
    slowEmulator.stats().reset();
    emulator.stats().reset();
    Process a = worker(csv, db, "a");
    Process b = worker(csv, db, "b");
    String aLeases = "w-" + a.pid() + "-%";
    try (Database d = Database.open(db)) {
      await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50)).until(() -> !a.isAlive() || !b.isAlive()
          || (leasedBy(d, aLeases) > 0 && done(d) >= 8 && leasedBy(d, "w-" + b.pid() + "-%") > 0));
      assertThat(a.isAlive() && b.isAlive()).as("both workers must still be going: " + log("a") + log("b")).isTrue();
      Runtime.getRuntime().exec(new String[] {"kill", "-9", Long.toString(a.pid())}).waitFor();
      assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(a.exitValue()).isEqualTo(137);
      // the calls A had in flight: the running steps of the leads it held (no one else may touch them for 5 s)
      long inFlightAtKill = d.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM lead_results r JOIN run_leads l "
              + "ON l.run_id = r.run_id AND l.lead_id = r.lead_id WHERE r.run_id = 'team' AND r.status = 'running' "
              + "AND l.lease_owner LIKE :w").bind("w", aLeases).mapTo(Long.class).one());
      assertThat(inFlightAtKill).isLessThanOrEqualTo(4);

      // 3. B takes A's leads over after their lease and finishes the whole run
      assertThat(b.waitFor(180, TimeUnit.SECONDS)).as(log("b")).isTrue();
      assertThat(b.exitValue()).as(log("b")).isZero();
      long total = RunCrashResumeTest.settledCount(slowEmulator);
      assertThat(total).as("every finished step was called once in all").isGreaterThanOrEqualTo(reference)
          .isLessThanOrEqualTo(reference + inFlightAtKill);
      Map<String, StepRecord> steps = new JdbiRunStore(d).steps("team");
      assertThat(steps.values()).noneMatch(r -> r.status() == StepStatus.RUNNING);
      assertThat(new JdbiRunStore(d).findRun("team").orElseThrow().status()).isEqualTo("completed");
    }
    assertThat(Files.readString(dir.resolve("out-b").resolve("results.csv")))
        .isEqualTo(Files.readString(dir.resolve("ref").resolve("results.csv")));
    String reportB = Files.readString(dir.resolve("out-b").resolve("report.md"));
    assertThat(RunCrashResumeTest.section(reportB, "## Tiers"))
        .isEqualTo(RunCrashResumeTest.section(Files.readString(dir.resolve("ref").resolve("report.md")), "## Tiers"));

    // 4. A started again joins the completed run: nothing to call, exit 0, the same files as B's
    RouterBoot.overrideEnv(RunCrashResumeTest.envFor(db, emulator));
    assertThat(Main.execute("run", csv.toString(), "--out", dir.resolve("out-a").toString(), "--concurrency", "4",
        "--run-id", "team", "--lease-seconds", "5")).isZero();
    assertThat(emulator.stats().total("*")).isZero();
    assertThat(Files.readString(dir.resolve("out-a").resolve("results.csv")))
        .isEqualTo(Files.readString(dir.resolve("out-b").resolve("results.csv")));
    assertThat(Files.readString(dir.resolve("out-a").resolve("report.md"))).isEqualTo(reportB);
  }

  private Process worker(Path csv, String db, String name) throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", cp, "dev.salesagent.app.Main", "run", csv.toString(), "--out", dir.resolve("out-" + name).toString(),
        "--concurrency", "4", "--run-id", "team", "--lease-seconds", "5"))
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().putAll(RunCrashResumeTest.envFor(db, slowEmulator));
    return pb.start();
  }

  private String log(String name) {
    try {
      return "\n--- " + name + ":\n" + Files.readString(dir.resolve(name + ".log"));
    } catch (Exception e) {
      return "";
    }
  }

  private static long leasedBy(Database d, String pattern) {
    return d.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM run_leads WHERE run_id = 'team' AND lease_owner LIKE :w")
        .bind("w", pattern).mapTo(Long.class).one());
  }

  private static long done(Database d) {
    return d.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM lead_results WHERE run_id = 'team' AND status = 'done'")
        .mapTo(Long.class).one());
  }
}
