package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.access.Actor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.memory.InMemoryStore;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.testing.FakeRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A single step on demand has the pipeline's meaning: prerequisites, records, and the export's join. */
class LeadStepsTest {
  Vertx vertx;
  InMemoryStore store;
  FakeRouter router;
  LeadSteps steps;
  static final Actor ADMIN = Actor.operator();
  Lead dana = Lead.of("Dana", "Reyes", "dana@northwind.example", "Northwind", "VP of Sales");

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    store = new InMemoryStore();
    router = new FakeRouter(vertx, store, 0);
    steps = LeadSteps.over(vertx, router, ScoringConfig.defaults(), store, store);
    store.upsert(null, List.of(dana));
  }

  @AfterEach
  void tearDown() {
    vertx.close();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Throwable failure(Future<?> f) throws Exception {
    try {
      await(f);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void aStepNeedsItsPrerequisiteAndAnExistingLead() throws Exception {
    assertThat(failure(steps.run("L-missing", Step.QUALIFY, "rq", ADMIN))).isInstanceOf(LeadSteps.LeadNotFound.class)
        .hasMessage("no lead L-missing");
    Throwable missing = failure(steps.run(dana.id(), Step.OUTREACH, "rq", ADMIN));
    assertThat(missing).isInstanceOf(LeadSteps.PrerequisiteMissing.class)
        .hasMessage("lead " + dana.id() + " has no research result yet");
    assertThat(((LeadSteps.PrerequisiteMissing) missing).missing()).isEqualTo(Step.RESEARCH);
    assertThat(router.calls()).as("nothing was sent").isZero();
  }

  @Test
  void aStepIsChargedToTheActorsKeyAndOnlyOnALeadItMaySee() throws Exception {
    Actor alice = Actor.client("key_alice");
    Lead hers = alice.claim(dana);
    store.upsert(alice.owner(), List.of(hers));
    await(steps.run(hers.id(), Step.QUALIFY, "rq-a", alice));
    assertThat(router.requests).isNotEmpty().allMatch(r -> "key_alice".equals(r.apiKeyId()));
    // another client does not see her lead (nor the admins' lead of the same email); an admin does
    assertThat(failure(steps.run(hers.id(), Step.QUALIFY, "rq-b", Actor.client("key_bob")))).isInstanceOf(LeadSteps.LeadNotFound.class);
    assertThat(failure(steps.run(dana.id(), Step.QUALIFY, "rq-c", alice))).isInstanceOf(LeadSteps.LeadNotFound.class);
    assertThat(await(steps.latest(hers.id(), ADMIN)).lead()).isEqualTo(hers);
    StringWriter csv = new StringWriter();
    steps.exportLatest(csv, Actor.client("key_bob"));
    assertThat(csv.toString()).doesNotContain("dana@northwind.example");
  }

  @Test
  void doneStepsAreRecordedUnderTheApiRunAndBuildOnEachOther() throws Exception {
    StepRecord q = await(steps.run(dana.id(), Step.QUALIFY, "rq-1", ADMIN));
    assertThat(q.runId()).isEqualTo(LeadSteps.API_RUN);
    assertThat(q.status()).isEqualTo(StepStatus.DONE);
    assertThat(q.promptVersion()).isEqualTo("qualify.v1");
    assertThat(q.provider()).isEqualTo("cerebras");
    assertThat(q.costUsd()).isPositive();
    assertThat(router.requests.get(0).requestId()).startsWith("rq-1:" + dana.id() + ":qualify");
    StepRecord r = await(steps.run(dana.id(), Step.RESEARCH, "rq-2", ADMIN));
    StepRecord o = await(steps.run(dana.id(), Step.OUTREACH, "rq-3", ADMIN));
    assertThat(r.status()).isEqualTo(StepStatus.DONE);
    assertThat(o.status()).isEqualTo(StepStatus.DONE);

    LeadSteps.LeadResults latest = await(steps.latest(dana.id(), ADMIN));
    assertThat(latest.lead()).isEqualTo(dana);
    assertThat(latest.steps().get(Step.OUTREACH)).contains(o);
    assertThat(latest.steps().get(Step.PARSE)).isEmpty();

    StringWriter csv = new StringWriter();
    steps.exportLatest(csv, ADMIN);
    String[] lines = csv.toString().split("\r?\n");
    assertThat(lines[0]).endsWith("Lead Score,Lead Tier,Qualification Reasons,Next Action,Outreach Subject,Outreach Body,ICP Fit,Tier Reason,Draft Status");
    assertThat(lines[1]).startsWith("Dana,Reyes,dana@northwind.example,Northwind,VP of Sales,");
  }

  @Test
  void aFailedStepIsRecordedAsThePipelineRecordsItAndTheFailureReachesTheCaller() throws Exception {
    router.script(r -> "not json at all");
    Throwable t = failure(steps.run(dana.id(), Step.QUALIFY, "rq", ADMIN));
    StepRecord rec = store.latestStep(dana.id(), Step.QUALIFY).orElseThrow();
    assertThat(rec.status()).isEqualTo(StepStatus.FAILED);
    assertThat(rec.error()).isEqualTo(StepRecorder.describe(t)).startsWith("invalid_output: ");
    assertThat(rec.calls()).isEqualTo(2); // the answer and its repair
    assertThat(rec.costUsd()).isPositive();
    assertThat(rec.provider()).isEqualTo("cerebras");
  }

  @Test
  void aLeadThatOptedOutIsNeverResearchedNorDraftedThroughSingleSteps() throws Exception {
    Lead tom = Lead.of("Tom", "Baker", "tom.baker@acme-logistics.com", "Acme Logistics", "VP Sales");
    tom = new Lead(tom.id(), tom.firstName(), tom.lastName(), tom.email(), tom.company(), tom.jobTitle(), tom.phone(),
        tom.website(), tom.industry(), tom.employees(), tom.country(), "Please remove me from your mailing list.");
    store.upsert(null, List.of(tom));
    StepRecord q = await(steps.run(tom.id(), Step.QUALIFY, "rq-q", ADMIN));
    assertThat(q.resultJson()).contains("disqualified");
    Throwable research = failure(steps.run(tom.id(), Step.RESEARCH, "rq-r", ADMIN));
    assertThat(research).isInstanceOf(LeadSteps.NotEngaged.class).hasMessageContaining("is disqualified");
    // no research exists, so outreach names that first (with a brief, the disqualified tier refuses it as above)
    assertThat(failure(steps.run(tom.id(), Step.OUTREACH, "rq-o", ADMIN))).isInstanceOf(LeadSteps.PrerequisiteMissing.class);
    assertThat(router.calls()).as("no model saw the lead").isZero();
    assertThat(store.latestStep(tom.id(), Step.OUTREACH)).isEmpty();
  }
}
