package dev.salesagent.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.memory.InMemoryStore;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.testing.FakeRouter;
import dev.salesagent.router.routing.UsageRecord;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {
  Vertx vertx;
  @TempDir Path dir;
  Path csv;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    csv = dir.resolve("leads.csv");
    try (InputStream in = getClass().getResourceAsStream("/samples/leads.csv")) {
      Files.copy(in, csv);
    }
  }

  @AfterEach
  void tearDown() {
    vertx.close();
  }

  static final Set<Step> ALL = EnumSet.allOf(Step.class);

  RunService service(InMemoryStore store, FakeRouter router) {
    return new RunService(vertx, router, ScoringConfig.defaults(), store, store, store, Clock.systemUTC());
  }

  @Test
  void sampleRunQualifiesEveryLeadAndResearchesOnlyHotAndWarm() throws Exception {
    InMemoryStore store = new InMemoryStore();
    FakeRouter router = new FakeRouter(vertx, store, 5);
    router.fallbackEvery = 7;
    var out = service(store, router).execute(new RunService.Options(csv, dir.resolve("out"), 4, ALL, false), p -> {}, new RunService.Hooks() {});
    var d = out.report();
    assertThat(d.leads()).isEqualTo(45);
    assertThat(d.rejected()).isEqualTo(2);
    assertThat(d.merged()).isEqualTo(3);
    assertThat(d.tiers().get("not qualified")).isZero();
    int engaged = d.tiers().get("hot") + d.tiers().get("warm");
    assertThat(engaged).isPositive();
    assertThat(d.tiers().get("disqualified")).isGreaterThanOrEqualTo(5); // student, intern, competitor, opted out, customer
    assertThat(d.steps().get(Step.RESEARCH).getOrDefault(StepStatus.DONE, 0)).isEqualTo(engaged);
    assertThat(d.steps().get(Step.RESEARCH).getOrDefault(StepStatus.SKIPPED, 0)).isEqualTo(45 - engaged);
    assertThat(d.steps().get(Step.OUTREACH).getOrDefault(StepStatus.DONE, 0)).isEqualTo(engaged);
    assertThat(router.maxInFlight.get()).isLessThanOrEqualTo(4);
    // report numbers are the ledger's
    var ledger = store.forRun(out.run().id());
    assertThat(d.ledgerRows()).isEqualTo(ledger.size());
    BigDecimal sum = ledger.stream().map(r -> BigDecimal.valueOf(r.costUsd())).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(d.ledgerCostUsd()).isEqualByComparingTo(sum);
    assertThat(d.usage().stream().mapToLong(RunReport.UsageRow::calls).sum()).isEqualTo(ledger.size());
    assertThat(d.fallbacks()).hasSize((int) ledger.stream().filter(r -> !r.outcome().equals("ok")).count());
    assertThat(d.usage()).extracting(RunReport.UsageRow::task).contains("qualification", "research", "content", "parsing");
    // parse: the 4 sample leads whose notes end in a signature or a reply footer; the others are skipped
    assertThat(d.steps().get(Step.PARSE)).containsEntry(StepStatus.DONE, 4).containsEntry(StepStatus.SKIPPED, 41);
    assertThat(d.contacts()).extracting(c -> c.card().name()).containsExactlyInAnyOrder("Grace Kim", "Laura Rossi", "Felix Wagner", "Lily Evans");
    var lily = d.contacts().stream().filter(c -> c.leadEmail().startsWith("lily")).findFirst().orElseThrow().card();
    assertThat(lily).isEqualTo(new dev.salesagent.agent.parse.ContactCard("Lily Evans", "Sales Operations Analyst",
        "Northwind Logistics", "lily.evans@northwind-logistics.com", "+1 312 555 0187", "northwind-logistics.com"));
    assertThat(d.contacts()).anyMatch(c -> c.provider().equals("ollama")); // the fake router falls back every 7th call
    String md = Files.readString(out.reportMd());
    assertThat(md).contains("## Contacts parsed from notes").contains("| ollama | parsing |").contains("| parse | 4 | 0 | 41 | 0 |")
        .contains("| lily.evans@northwind-logistics.com | Lily Evans | Sales Operations Analyst | Northwind Logistics |");
    assertThat(RunReport.summary(d)).contains("contacts parsed from notes: 4").contains("parsed lily.evans@northwind-logistics.com → Lily Evans");
    assertThat(md).contains(RunReport.usd(sum)).contains("| cerebras | qualification |").contains("Requests answered by a fallback provider: " + d.fallbacks().size());
    // results.csv: input columns + the six added ones, one row per imported lead, injection neutralised
    var records = CSVFormat.RFC4180.builder().setHeader().get().parse(Files.newBufferedReader(out.resultsCsv())).getRecords();
    assertThat(records).hasSize(45);
    assertThat(records.get(0).getParser().getHeaderNames()).endsWith("Notes", "Lead Score", "Lead Tier", "Qualification Reasons",
        "Next Action", "Outreach Subject", "Outreach Body", "ICP Fit", "Tier Reason", "Draft Status");
    var ella = records.stream().filter(r -> r.get("Email").startsWith("ella")).findFirst().orElseThrow();
    assertThat(ella.get("Company")).isEqualTo("'=HYPERLINK(\"http://evil.example\")");
    var mei = records.stream().filter(r -> r.get("Email").startsWith("mei.lin")).findFirst().orElseThrow();
    assertThat(mei.get("Lead Tier")).isEqualTo("Disqualified");
    assertThat(mei.get("Outreach Body")).isEmpty();
    var hot = records.stream().filter(r -> r.get("Lead Tier").equals("Hot") || r.get("Lead Tier").equals("Warm")).findFirst().orElseThrow();
    assertThat(hot.get("Outreach Body")).contains("unsubscribe");
    // a fresh run's drafts wait for review; a lead without a draft has no status
    assertThat(hot.get("Draft Status")).isEqualTo("pending");
    assertThat(mei.get("Draft Status")).isEmpty();
    // every request id carries the run id, and no step was called twice
    assertThat(router.requests).allMatch(r -> r.requestId().startsWith(out.run().id() + ":"));
    assertThat(router.callsByRequestId.values()).allMatch(n -> n.get() == 1);
  }

  @Test
  void aRunWithAKeyChargesEveryCallToItAndItsLeadsBelongToThatKeysTenant() throws Exception {
    InMemoryStore store = new InMemoryStore();
    FakeRouter router = new FakeRouter(vertx, store, 1);
    Actor key = Actor.client("key_run");
    var out = service(store, router).execute(new RunService.Options(csv, dir.resolve("out"), 4, ALL, false, key), p -> {},
        new RunService.Hooks() {});
    assertThat(out.run().actor()).isEqualTo(key);
    assertThat(router.requests).isNotEmpty().allMatch(r -> "key_run".equals(r.apiKeyId()));
    assertThat(store.forRun(out.run().id())).isNotEmpty().allMatch(r -> "key_run".equals(r.apiKeyId()));
    // the run's leads are in the key's tenant: ids derived from key and email, invisible to another client
    assertThat(store.count(key)).isEqualTo(45);
    assertThat(store.count(Actor.client("key_other"))).isZero();
    assertThat(store.count(Actor.operator())).isEqualTo(45);
    var lead = store.list(key, 0, 1).get(0);
    assertThat(lead.id()).isEqualTo(dev.salesagent.agent.lead.Lead.idFor("key_run", lead.email()))
        .isNotEqualTo(dev.salesagent.agent.lead.Lead.idFor(lead.email()));
    // a resume must keep the run's key: its leads live in that tenant
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> service(store, router).begin(
            new RunService.Options(null, dir.resolve("out"), 4, ALL, true, Actor.client("key_other")), new RunService.Hooks() {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("started with key key_run");
  }

  @Test
  void resumeAfterStopRepeatsNoFinishedStepAndMatchesAnUninterruptedRun() throws Exception {
    // uninterrupted reference run
    InMemoryStore refStore = new InMemoryStore();
    FakeRouter refRouter = new FakeRouter(vertx, refStore, 2);
    var ref = service(refStore, refRouter).execute(new RunService.Options(csv, dir.resolve("ref"), 8, ALL, false), p -> {}, new RunService.Hooks() {});

    InMemoryStore store = new InMemoryStore();
    FakeRouter router = new FakeRouter(vertx, store, 2);
    RunService svc = service(store, router);
    AtomicInteger progressCalls = new AtomicInteger();
    Pipeline[] holder = new Pipeline[1];
    var first = svc.execute(new RunService.Options(csv, dir.resolve("out"), 8, ALL, false), p -> {
      if (progressCalls.incrementAndGet() == 10) holder[0].stop();
    }, new RunService.Hooks() {
      @Override public void started(RunInfo run, Pipeline pipeline) { holder[0] = pipeline; }
    });
    assertThat(first.interrupted()).isTrue();
    assertThat(first.run().status()).isEqualTo("interrupted");
    int callsBefore = router.calls();
    assertThat(callsBefore).isLessThan(refRouter.calls());
    Map<String, StepRecord> doneBefore = store.steps(first.run().id());

    var second = svc.execute(new RunService.Options(null, dir.resolve("out"), 8, ALL, true), p -> {}, new RunService.Hooks() {});
    assertThat(second.run().id()).isEqualTo(first.run().id());
    assertThat(second.run().status()).isEqualTo("completed");
    // no request id was sent twice: finished steps were read back, not called again
    assertThat(router.callsByRequestId.values()).allMatch(n -> n.get() == 1);
    assertThat(router.calls()).isEqualTo(refRouter.calls());
    assertThat(second.summary().stepsReused()).isEqualTo((int) doneBefore.values().stream().filter(r -> r.status() != StepStatus.SKIPPED).count());
    // same results as the uninterrupted run
    assertThat(Files.readString(second.resultsCsv())).isEqualTo(Files.readString(ref.resultsCsv()));
    assertThat(second.report().tiers()).isEqualTo(ref.report().tiers());
    assertThat(second.report().ledgerCostUsd()).isEqualByComparingTo(ref.report().ledgerCostUsd());
  }

  @Test
  void failedStepsAreRecordedAndNotRetriedOnResume() throws Exception {
    InMemoryStore store = new InMemoryStore();
    FakeRouter router = new FakeRouter(vertx, store, 0).script(r -> r.task().equals("research") ? "not json" : null);
    RunService svc = service(store, router);
    var out = svc.execute(new RunService.Options(csv, dir.resolve("out"), 4, ALL, false), p -> {}, new RunService.Hooks() {});
    var d = out.report();
    int engaged = d.tiers().get("hot") + d.tiers().get("warm");
    assertThat(d.steps().get(Step.RESEARCH).get(StepStatus.FAILED)).isEqualTo(engaged);
    assertThat(d.stepFailures()).hasSize(engaged).allMatch(s -> s.contains("research · invalid_output"));
    assertThat(d.steps().get(Step.OUTREACH).get(StepStatus.SKIPPED)).isEqualTo(45);
    int calls = router.calls();
    // 44 qualifications (the opted-out sample lead is decided by rules, without a call), 4 contact cards from notes,
    // one repair per research call
    assertThat(calls).isEqualTo(44 + 4 + 2 * engaged);
    svc.execute(new RunService.Options(null, dir.resolve("out"), 4, ALL, true), p -> {}, new RunService.Hooks() {});
    assertThat(router.calls()).isEqualTo(calls);
  }

  @Test
  void budgetExceededStopsIssuingCalls() throws Exception {
    InMemoryStore store = new InMemoryStore();
    FakeRouter router = new FakeRouter(vertx, store, 1) {
      @Override
      public io.vertx.core.Future<dev.salesagent.router.routing.RoutedResponse> chat(dev.salesagent.router.routing.RouteRequest r) {
        if (calls() >= 5) {
          requests.add(r);
          return io.vertx.core.Future.failedFuture(dev.salesagent.router.error.LlmException.builder(
              dev.salesagent.router.error.ErrorKind.BUDGET_EXCEEDED, "daily budget of $1 exhausted").build());
        }
        return super.chat(r);
      }
    };
    var out = service(store, router).execute(new RunService.Options(csv, dir.resolve("b"), 2, ALL, false), p -> {}, new RunService.Hooks() {});
    assertThat(out.interrupted()).isTrue();
    assertThat(router.calls()).isLessThan(12);
    assertThat(out.report().stepFailures()).isNotEmpty().allMatch(f -> f.contains("budget_exceeded"));
  }

  @Test
  void parseIsAnOptionalStepOutsideTheDefaultChain() throws Exception {
    assertThat(Step.parseList(Step.DEFAULT)).containsExactly(Step.QUALIFY, Step.RESEARCH, Step.OUTREACH);
    assertThat(Step.parseList("parse")).containsExactly(Step.PARSE);
    assertThat(Step.parseList("qualify,parse")).containsExactly(Step.QUALIFY, Step.PARSE);
    assertThat(Step.join(EnumSet.allOf(Step.class))).isEqualTo("qualify,research,outreach,parse");
    InMemoryStore store = new InMemoryStore();
    FakeRouter router = new FakeRouter(vertx, store, 0);
    var out = service(store, router).execute(new RunService.Options(csv, dir.resolve("p"), 4, Step.parseList("parse"), false), p -> {}, new RunService.Hooks() {});
    assertThat(router.calls()).isEqualTo(4);
    assertThat(router.requests).allMatch(r -> r.task().equals("parsing"));
    assertThat(out.report().steps().get(Step.QUALIFY)).isEmpty();
    assertThat(out.report().contacts()).hasSize(4);
    String md = Files.readString(out.reportMd());
    assertThat(md).contains("| parse | 4 | 0 | 41 | 0 |").doesNotContain("| research |");
    // the default steps never parse and the report has no parse row
    InMemoryStore store2 = new InMemoryStore();
    var out2 = service(store2, new FakeRouter(vertx, store2, 0)).execute(
        new RunService.Options(csv, dir.resolve("d"), 8, Step.parseList(Step.DEFAULT), false), p -> {}, new RunService.Hooks() {});
    assertThat(out2.report().steps().get(Step.PARSE)).isEmpty();
    assertThat(Files.readString(out2.reportMd())).doesNotContain("| parse |").doesNotContain("Contacts parsed");
  }

  @Test
  void stepsSubsetOnlyQualifies() throws Exception {
    InMemoryStore store = new InMemoryStore();
    FakeRouter router = new FakeRouter(vertx, store, 0);
    var out = service(store, router).execute(new RunService.Options(csv, dir.resolve("q"), 16, Step.parseList("qualify"), false), p -> {}, new RunService.Hooks() {});
    assertThat(router.calls()).isEqualTo(44); // the opted-out lead is disqualified without a call
    assertThat(out.report().steps().get(Step.RESEARCH)).isEmpty();
    assertThat(router.requests).allMatch(r -> r.task().equals("qualification"));
    for (UsageRecord u : store.forRun(out.run().id())) assertThat(u.task()).isEqualTo("qualification");
  }
}
