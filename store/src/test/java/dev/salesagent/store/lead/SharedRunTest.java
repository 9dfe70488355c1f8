package dev.salesagent.store.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.pipeline.RunInfo;
import dev.salesagent.agent.pipeline.RunService;
import dev.salesagent.agent.pipeline.RunStore;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.pipeline.StepStatus;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.store.Database;
import dev.salesagent.store.ledger.JdbcUsageLedger;
import dev.salesagent.store.testing.TestDatabases.Kind;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs shared by several workers ({@code run --run-id}): the import, the leases, and two workers on one run. */
class SharedRunTest {
  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void leasesGoToOneWorkerAndAnExpiredOneIsTakenOver(Kind kind) {
    try (Database db = Database.open(kind.newUrl("leases"))) {
      JdbiSharedRuns runs = new JdbiSharedRuns(db);
      Actor admin = Actor.operator();
      List<Lead> leads = List.of(Lead.of("A", "A", "a@x.com", "X", "CEO"), Lead.of("B", "B", "b@x.com", "X", "CTO"));
      RunInfo run = new RunInfo("shared-1", dir.toString(), "in.csv", "qualify", 2, "running", List.of("Email"),
          Instant.now(), null, admin);
      List<RunStore.RunLead> rl = List.of(new RunStore.RunLead(leads.get(0).id(), 0, Map.of()),
          new RunStore.RunLead(leads.get(1).id(), 1, Map.of()));
      assertThat(runs.importRun(run, List.of(), admin.owner(), leads, rl)).isTrue();
      assertThat(runs.importRun(run, List.of(), admin.owner(), leads, rl)).as("the second import finds the run").isFalse();
      assertThat(new JdbiRunStore(db).runLeads("shared-1")).hasSize(2);

      Duration shortLease = Duration.ofSeconds(1);
      Duration longLease = Duration.ofSeconds(600);
      assertThat(runs.claim("shared-1", "A", shortLease)).contains(leads.get(0).id());
      assertThat(runs.claim("shared-1", "B", longLease)).contains(leads.get(1).id());
      assertThat(runs.remaining("shared-1")).isEqualTo(2);
      // A stops renewing: once its lease is past, B takes its lead over and A may start nothing more for it
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> runs.claim("shared-1", "B", longLease).isPresent());
      assertThat(runs.holds("shared-1", leads.get(0).id(), "A", shortLease)).isFalse();
      assertThat(runs.holds("shared-1", leads.get(0).id(), "B", longLease)).isTrue();
      assertThat(runs.claim("shared-1", "A", shortLease)).isEmpty();
      runs.complete("shared-1", leads.get(0).id(), "A"); // not A's any more: no effect
      assertThat(runs.remaining("shared-1")).isEqualTo(2);
      assertThat(runs.renew("shared-1", "B", longLease)).isEqualTo(2);
      runs.complete("shared-1", leads.get(0).id(), "B");
      runs.release("shared-1", leads.get(1).id(), "B");
      assertThat(runs.remaining("shared-1")).isEqualTo(1);
      assertThat(runs.claim("shared-1", "A", shortLease)).contains(leads.get(1).id());
      runs.complete("shared-1", leads.get(1).id(), "A");
      assertThat(runs.remaining("shared-1")).isZero();
      assertThat(runs.claim("shared-1", "A", shortLease)).isEmpty();
      // completed once: a later worker's completion keeps the first time
      Instant first = Instant.parse("2026-12-01T10:00:00Z");
      assertThat(runs.completed("shared-1", first).finishedAt()).isEqualTo(first);
      assertThat(runs.completed("shared-1", first.plusSeconds(5)).finishedAt()).isEqualTo(first);
      assertThat(runs.interrupted("shared-1", first.plusSeconds(9)).status()).isEqualTo("completed");
      runs.reopen("shared-1");
      assertThat(runs.remaining("shared-1")).isEqualTo(2);
    }
  }

  /**
   * Two workers (two services, two routers, one database) start the same run at once: one imports, both work, every
   * step is called once in all, and both write the same results and report — those of a run by one worker.
   */
  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void twoWorkersShareOneRunAndCallEachStepOnce(Kind kind) throws Exception {
    Path csv = dir.resolve("leads.csv");
    try (InputStream in = RunService.class.getResourceAsStream("/samples/leads.csv")) {
      Files.copy(in, csv);
    }
    Vertx vertx = Vertx.vertx();
    try (Database db = Database.open(kind.newUrl("shared-run"))) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      var refRouter = new SchemaFakeRouter(vertx, ledger);
      var ref = service(vertx, db, refRouter, ledger).execute(new RunService.Options(csv, dir.resolve("ref"), 4,
          EnumSet.allOf(Step.class), false), p -> {}, new RunService.Hooks() {});
      int refCalls = refRouter.calls.get();

      var r1 = new SchemaFakeRouter(vertx, ledger);
      var r2 = new SchemaFakeRouter(vertx, ledger);
      var w1 = CompletableFuture.supplyAsync(() -> run(service(vertx, db, r1, ledger), csv, dir.resolve("w1")));
      var w2 = CompletableFuture.supplyAsync(() -> run(service(vertx, db, r2, ledger), csv, dir.resolve("w2")));
      RunService.Outcome o1 = w1.get(120, TimeUnit.SECONDS);
      RunService.Outcome o2 = w2.get(120, TimeUnit.SECONDS);
      assertThat(r1.calls.get() + r2.calls.get()).as("each step called once across both workers").isEqualTo(refCalls);
      assertThat(o1.run().status()).isEqualTo("completed");
      assertThat(o1.interrupted()).isFalse();
      assertThat(Files.readString(o1.resultsCsv())).isEqualTo(Files.readString(o2.resultsCsv()))
          .isEqualTo(Files.readString(ref.resultsCsv()));
      assertThat(Files.readString(o1.reportMd())).isEqualTo(Files.readString(o2.reportMd()));
      assertThat(new JdbiRunStore(db).steps("team-run").values()).noneMatch(r -> r.status() == StepStatus.RUNNING);
      assertThat(new JdbiSharedRuns(db).remaining("team-run")).isZero();
      // a worker joining the completed run calls nothing and writes the same outputs
      var r3 = new SchemaFakeRouter(vertx, ledger);
      RunService.Outcome o3 = run(service(vertx, db, r3, ledger), csv, dir.resolve("w3"));
      assertThat(r3.calls.get()).isZero();
      assertThat(Files.readString(o3.reportMd())).isEqualTo(Files.readString(o1.reportMd()));
      ledger.close();
    } finally {
      vertx.close();
    }
  }

  private static RunService service(Vertx vertx, Database db, SchemaFakeRouter router, JdbcUsageLedger ledger) {
    return new RunService(vertx, router, ScoringConfig.defaults(), new JdbiLeadRepository(db), new JdbiRunStore(db),
        new JdbiRunLedger(ledger), Clock.systemUTC(), new JdbiSharedRuns(db));
  }

  private static RunService.Outcome run(RunService svc, Path csv, Path out) {
    try {
      return svc.execute(new RunService.Options(csv, out, 4, EnumSet.allOf(Step.class), false, null, "team-run",
          Duration.ofSeconds(30)), p -> {}, new RunService.Hooks() {});
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

}
