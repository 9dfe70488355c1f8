package dev.salesagent.agent.pipeline;

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
  Lead dana = Lead.of("Dana", "Reyes", "dana@northwind.example", "Northwind", "VP of Sales");

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    store = new InMemoryStore();
    router = new FakeRouter(vertx, store, 0);
    steps = LeadSteps.over(vertx, router, ScoringConfig.defaults(), store, store);
    store.upsert(List.of(dana));
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
    assertThat(failure(steps.run("L-missing", Step.QUALIFY, "rq"))).isInstanceOf(LeadSteps.LeadNotFound.class)
        .hasMessage("no lead L-missing");
    Throwable missing = failure(steps.run(dana.id(), Step.OUTREACH, "rq"));
    assertThat(missing).isInstanceOf(LeadSteps.PrerequisiteMissing.class)
        .hasMessage("lead " + dana.id() + " has no research result yet");
    assertThat(((LeadSteps.PrerequisiteMissing) missing).missing()).isEqualTo(Step.RESEARCH);
    assertThat(router.calls()).as("nothing was sent").isZero();
  }

  @Test
  void doneStepsAreRecordedUnderTheApiRunAndBuildOnEachOther() throws Exception {
    StepRecord q = await(steps.run(dana.id(), Step.QUALIFY, "rq-1"));
    assertThat(q.runId()).isEqualTo(LeadSteps.API_RUN);
    assertThat(q.status()).isEqualTo(StepStatus.DONE);
    assertThat(q.promptVersion()).isEqualTo("qualify.v1");
    assertThat(q.provider()).isEqualTo("cerebras");
    assertThat(q.costUsd()).isPositive();
    assertThat(router.requests.get(0).requestId()).startsWith("rq-1:" + dana.id() + ":qualify");
    StepRecord r = await(steps.run(dana.id(), Step.RESEARCH, "rq-2"));
    StepRecord o = await(steps.run(dana.id(), Step.OUTREACH, "rq-3"));
    assertThat(r.status()).isEqualTo(StepStatus.DONE);
    assertThat(o.status()).isEqualTo(StepStatus.DONE);

    LeadSteps.LeadResults latest = await(steps.latest(dana.id()));
    assertThat(latest.lead()).isEqualTo(dana);
    assertThat(latest.steps().get(Step.OUTREACH)).contains(o);
    assertThat(latest.steps().get(Step.PARSE)).isEmpty();

    StringWriter csv = new StringWriter();
    steps.exportLatest(csv);
    String[] lines = csv.toString().split("\r?\n");
    assertThat(lines[0]).endsWith("Lead Score,Lead Tier,Qualification Reasons,Next Action,Outreach Subject,Outreach Body,ICP Fit,Tier Reason");
    assertThat(lines[1]).startsWith("Dana,Reyes,dana@northwind.example,Northwind,VP of Sales,");
  }

  @Test
  void aFailedStepIsRecordedAsThePipelineRecordsItAndTheFailureReachesTheCaller() throws Exception {
    router.script(r -> "not json at all");
    Throwable t = failure(steps.run(dana.id(), Step.QUALIFY, "rq"));
    StepRecord rec = store.latestStep(dana.id(), Step.QUALIFY).orElseThrow();
    assertThat(rec.status()).isEqualTo(StepStatus.FAILED);
    assertThat(rec.error()).isEqualTo(StepRecorder.describe(t)).startsWith("invalid_output: ");
    assertThat(rec.calls()).isEqualTo(2); // the answer and its repair
    assertThat(rec.costUsd()).isPositive();
    assertThat(rec.provider()).isEqualTo("cerebras");
  }
}
