package dev.salesagent.store.lead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.csv.ImportIssue;
import dev.salesagent.agent.lead.EmployeeCount;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.pipeline.RunInfo;
import dev.salesagent.agent.pipeline.RunService;
import dev.salesagent.agent.pipeline.RunStore;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.pipeline.StepRecord;
import dev.salesagent.agent.pipeline.StepStatus;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.store.Database;
import dev.salesagent.store.ledger.JdbcUsageLedger;
import dev.salesagent.store.testing.TestDatabases.Kind;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LeadStoreTest {
  static final Actor ADMIN = Actor.operator();
  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void eachTenantSeesOnlyItsOwnLeadsAndAdminsSeeAll(Kind kind) {
    try (Database db = Database.open(kind.newUrl("tenants"))) {
      var repo = new JdbiLeadRepository(db);
      Actor alice = Actor.client("key_alice");
      Actor bob = Actor.client("key_bob");
      Lead same = Lead.of("Dana", "Reyes", "dana@northwind.com", "Northwind", "VP Sales");
      // the same email in three tenants: three leads, three ids
      Lead forAlice = alice.claim(same);
      Lead forBob = bob.claim(same);
      repo.upsert(alice.owner(), List.of(forAlice));
      repo.upsert(bob.owner(), List.of(forBob));
      repo.upsert(ADMIN.owner(), List.of(ADMIN.claim(same)));
      assertThat(List.of(forAlice.id(), forBob.id(), same.id())).doesNotHaveDuplicates();
      assertThat(repo.count(alice)).isEqualTo(1);
      assertThat(repo.count(ADMIN)).isEqualTo(3);
      assertThat(repo.list(alice, 0, 10)).containsExactly(forAlice);
      assertThat(repo.find(alice, forAlice.id())).contains(forAlice);
      assertThat(repo.find(alice, forBob.id())).isEmpty();
      assertThat(repo.find(alice, same.id())).isEmpty();
      assertThat(repo.find(ADMIN, forBob.id())).contains(forBob);
      // another tenant cannot delete it; an admin's update keeps its owner
      assertThat(repo.delete(alice, forBob.id())).isFalse();
      repo.upsert(ADMIN.owner(), List.of(new Lead(forBob.id(), "Dana", "Reyes", "dana@northwind.com", "Northwind", "CRO",
          null, null, null, null, null, null)));
      assertThat(repo.find(bob, forBob.id())).get().extracting(Lead::jobTitle).isEqualTo("CRO");
      assertThat(repo.delete(bob, forBob.id())).isTrue();
      assertThat(repo.count(ADMIN)).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void leadsAndRunsFromBeforeTenancyBelongToTheAdmins(Kind kind) {
    String url = kind.newUrl("pre-v5");
    try (var ds = new com.zaxxer.hikari.HikariDataSource()) {
      ds.setJdbcUrl(url);
      org.flywaydb.core.Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("4").load().migrate();
      try (var c = ds.getConnection(); var st = c.createStatement()) {
        st.execute("INSERT INTO leads (id, email, created_at, updated_at) VALUES ('" + Lead.idFor("old@x.com")
            + "', 'old@x.com', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        st.execute("INSERT INTO pipeline_runs (id, out_dir, steps, concurrency, status, input_columns, started_at) "
            + "VALUES ('run-old', '/tmp/o', 'qualify', 1, 'completed', '[]', CURRENT_TIMESTAMP)");
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    try (Database db = Database.open(url)) {
      var repo = new JdbiLeadRepository(db);
      assertThat(repo.list(ADMIN, 0, 10)).extracting(Lead::email).containsExactly("old@x.com");
      assertThat(repo.count(Actor.client("key_any"))).isZero();
      assertThat(new JdbiRunStore(db).findRun("run-old").orElseThrow().actor()).isEqualTo(Actor.operator());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void leadsUpsertFindListDelete(Kind kind) {
    try (Database db = Database.open(kind.newUrl("leads"))) {
      var repo = new JdbiLeadRepository(db);
      Lead a = new Lead(null, "Dana", "Reyes", "dana@northwind.com", "Northwind", "VP Sales", "+1 312 555 0142",
          "https://northwind.com", "Logistics", EmployeeCount.exactly(850), "United States", "line one\nline \"two\" ünïcødé");
      Lead b = Lead.of("Sam", null, "sam@acme.io", null, null);
      Lead c = new Lead(null, "Ana", "Ruiz", "ana@orbit.io", null, null, null, null, null, EmployeeCount.parse("51-200"), null, null);
      Lead d = new Lead(null, "Li", "Wei", "li@big.cn", null, null, null, null, null, EmployeeCount.parse("5000+"), null, null);
      repo.upsert(null, List.of(a, b, c, d));
      assertThat(repo.find(a.id())).contains(a);
      // a range is kept as given, not as one of its ends
      assertThat(repo.find(c.id()).orElseThrow().employees()).hasToString("51-200");
      assertThat(repo.find(d.id()).orElseThrow().employees()).hasToString("5000+");
      repo.delete(ADMIN, c.id());
      repo.delete(ADMIN, d.id());
      assertThat(repo.count(ADMIN)).isEqualTo(2);
      Lead a2 = new Lead(a.id(), "Dana", "Reyes", "dana@northwind.com", "Northwind Logistics", "CRO", null, null, null, null, null, null);
      repo.upsert(null, List.of(a2));
      assertThat(repo.find(a.id())).contains(a2);
      assertThat(repo.count(ADMIN)).isEqualTo(2);
      assertThat(repo.list(ADMIN, 0, 10)).extracting(Lead::email).containsExactly("dana@northwind.com", "sam@acme.io");
      assertThat(repo.list(ADMIN, 1, 10)).extracting(Lead::email).containsExactly("sam@acme.io");
      assertThat(repo.findAll(List.of(b.id(), "L-missing"))).containsExactly(b);
      assertThat(repo.delete(ADMIN, b.id())).isTrue();
      assertThat(repo.delete(ADMIN, b.id())).isFalse();
      assertThat(repo.find(b.id())).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void runsStepsAndIssuesSurviveAReopen(Kind kind) {
    String url = kind.newUrl("runs");
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (Database db = Database.open(url)) {
      var store = new JdbiRunStore(db);
      store.createRun(new RunInfo("run-1", "/tmp/out", "/tmp/leads.csv", "qualify,research", 8, "running",
          List.of("Email", "First Name", "Custom, \"odd\""), t0, null, Actor.client("key_c")));
      store.createRun(new RunInfo("run-2", "/tmp/out", "/tmp/leads.csv", "qualify", 8, "running", List.of("Email"), t0.plusSeconds(5), null, new Actor("key_admin", true)));
      store.addRunLeads("run-1", List.of(new RunStore.RunLead("L-b", 1, Map.of("Email", "b@x.com")),
          new RunStore.RunLead("L-a", 0, Map.of("Email", "a@x.com", "Custom, \"odd\"", "=1+1"))));
      store.addIssues("run-1", List.of(new ImportIssue(3, "error", "email is required"), new ImportIssue(7, "merged", "duplicate")));
      store.addIssues("run-1", List.of(new ImportIssue(9, "warning", "employees")));
      store.saveStep(StepRecord.running("run-1", "L-a", Step.QUALIFY, t0));
      store.saveStep(new StepRecord("run-1", "L-a", Step.QUALIFY, StepStatus.DONE, "{\"score\":1}", "qualify.v1", "cerebras",
          "llama", 0.000123456, 2, 321, 1, null, t0, t0.plusMillis(321)));
      store.saveStep(StepRecord.running("run-1", "L-b", Step.QUALIFY, t0));
    }
    try (Database db = Database.open(url)) {
      var store = new JdbiRunStore(db);
      assertThat(store.latestRunFor("/tmp/out")).get().extracting(RunInfo::id).isEqualTo("run-2");
      RunInfo r1 = store.findRun("run-1").orElseThrow();
      assertThat(r1.inputColumns()).containsExactly("Email", "First Name", "Custom, \"odd\"");
      assertThat(r1.startedAt()).isEqualTo(t0);
      assertThat(r1.actor()).isEqualTo(Actor.client("key_c"));
      assertThat(store.findRun("run-2").orElseThrow().actor()).isEqualTo(new Actor("key_admin", true));
      store.updateRun(r1.withStatus("completed", t0.plusSeconds(60)));
      assertThat(store.findRun("run-1").orElseThrow().status()).isEqualTo("completed");
      assertThat(store.runLeads("run-1")).extracting(RunStore.RunLead::leadId).containsExactly("L-a", "L-b");
      assertThat(store.runLeads("run-1").get(0).raw()).containsEntry("Custom, \"odd\"", "=1+1");
      assertThat(store.issues("run-1")).extracting(ImportIssue::line).containsExactly(3L, 7L, 9L);
      Map<String, StepRecord> steps = store.steps("run-1");
      assertThat(steps).hasSize(2);
      StepRecord q = steps.get(StepRecord.key("L-a", Step.QUALIFY));
      assertThat(q.status()).isEqualTo(StepStatus.DONE);
      assertThat(q.costUsd()).isEqualTo(0.000123456);
      assertThat(q.calls()).isEqualTo(2);
      assertThat(q.promptVersion()).isEqualTo("qualify.v1");
      assertThat(steps.get(StepRecord.key("L-b", Step.QUALIFY)).status()).isEqualTo(StepStatus.RUNNING);
      assertThat(store.latestStep("L-a", Step.QUALIFY)).isPresent();
      assertThat(store.latestStep("L-b", Step.QUALIFY)).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void pipelineReportNumbersEqualTheLedgerTable(Kind kind) throws Exception {
    Path csv = dir.resolve("leads.csv");
    try (InputStream in = RunService.class.getResourceAsStream("/samples/leads.csv")) {
      Files.copy(in, csv);
    }
    Vertx vertx = Vertx.vertx();
    try (Database db = Database.open(kind.newUrl("pipeline"))) {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      var leads = new JdbiLeadRepository(db);
      var store = new JdbiRunStore(db);
      var router = new SchemaFakeRouter(vertx, ledger);
      var svc = new RunService(vertx, router, ScoringConfig.defaults(), leads, store, new JdbiRunLedger(ledger), Clock.systemUTC());
      var out = svc.execute(new RunService.Options(csv, dir.resolve("out"), 8, EnumSet.allOf(Step.class), false), p -> {}, new RunService.Hooks() {});
      var d = out.report();
      assertThat(d.leads()).isEqualTo(45);
      String id = out.run().id();
      var sql = db.jdbi().withHandle(h -> h.createQuery(
              "SELECT COUNT(*) AS n, SUM(cost_usd) AS c, COUNT(DISTINCT request_id) AS r, "
                  + "SUM(CASE WHEN outcome <> 'ok' THEN 1 ELSE 0 END) AS bad FROM usage_ledger WHERE request_id LIKE :p")
          .bind("p", id + ":%").mapToMap().one());
      assertThat(d.ledgerRows()).isEqualTo(((Number) sql.get("n")).longValue());
      assertThat(d.ledgerCostUsd()).isEqualByComparingTo((BigDecimal) sql.get("c"));
      assertThat(d.requests()).isEqualTo(((Number) sql.get("r")).longValue());
      assertThat(d.fallbacks()).hasSize(((Number) sql.get("bad")).intValue());
      assertThat(d.ledgerRows()).isEqualTo(router.calls.get() + d.fallbacks().size());
      assertThat(Files.readString(out.reportMd())).contains(dev.salesagent.agent.pipeline.RunReport.usd((BigDecimal) sql.get("c")));
      // resume of a completed run pays for nothing
      int calls = router.calls.get();
      svc.execute(new RunService.Options(null, dir.resolve("out"), 8, EnumSet.allOf(Step.class), true), p -> {}, new RunService.Hooks() {});
      assertThat(router.calls.get()).isEqualTo(calls);
      ledger.close();
    } finally {
      vertx.close();
    }
  }
}
