package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.csv.LeadColumn;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.outreach.OutreachUseCase;
import dev.salesagent.agent.qualify.Qualification;
import dev.salesagent.agent.qualify.QualifyUseCase;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.qualify.Tier;
import dev.salesagent.agent.research.ResearchBrief;
import dev.salesagent.agent.research.ResearchUseCase;
import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.agent.schema.StructuredCaller;
import dev.salesagent.agent.schema.StructuredResult;
import dev.salesagent.router.routing.LlmRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * One lead's steps on demand (the HTTP API's {@code POST /v1/leads/{id}/qualify|research|outreach}), with the
 * pipeline's meaning of a step: the same prerequisites ({@link Step#prerequisite()}, built on the latest {@code done}
 * result of any run), the same records ({@link StepRecorder}), stored under the pseudo-run {@value #API_RUN}; and the
 * latest results of a lead and of every lead (the export). Store calls run off the event loop.
 */
public final class LeadSteps {
  /** The run id results of single steps are stored under. */
  public static final String API_RUN = "api";
  private static final int PAGE = 500;

  private final Vertx vertx;
  private final LeadRepository leads;
  private final RunStore runs;
  private final StepRecorder recorder;
  private final QualifyUseCase qualify;
  private final ResearchUseCase research;
  private final OutreachUseCase outreach;
  private final ResultsExport.Reviews reviews;

  public LeadSteps(Vertx vertx, LeadRepository leads, RunStore runs, StepRecorder recorder, QualifyUseCase qualify,
                   ResearchUseCase research, OutreachUseCase outreach) {
    this.vertx = vertx;
    this.leads = leads;
    this.runs = runs;
    this.recorder = recorder;
    this.qualify = qualify;
    this.research = research;
    this.outreach = outreach;
    this.reviews = ResultsExport.Reviews.NONE;
  }

  private LeadSteps(LeadSteps o, ResultsExport.Reviews reviews) {
    this.vertx = o.vertx;
    this.leads = o.leads;
    this.runs = o.runs;
    this.recorder = o.recorder;
    this.qualify = o.qualify;
    this.research = o.research;
    this.outreach = o.outreach;
    this.reviews = reviews;
  }

  /** The same steps whose export shows each draft's review ({@code Draft Status}, the reviewed text). */
  public LeadSteps withReviews(ResultsExport.Reviews r) {
    return new LeadSteps(this, r == null ? ResultsExport.Reviews.NONE : r);
  }

  /** The use cases over {@code router} with {@code scoring}, records through a {@link StepRecorder} on the UTC clock. */
  public static LeadSteps over(Vertx vertx, LlmRouter router, ScoringConfig scoring, LeadRepository leads, RunStore runs) {
    StructuredCaller caller = new StructuredCaller(router);
    return new LeadSteps(vertx, leads, runs, new StepRecorder(vertx, runs, Clock.systemUTC()),
        new QualifyUseCase(caller, scoring), new ResearchUseCase(caller, scoring), new OutreachUseCase(caller, scoring));
  }

  /** There is no lead with this id. */
  public static final class LeadNotFound extends RuntimeException {
    private final String leadId;

    public LeadNotFound(String leadId) {
      super("no lead " + leadId, null, false, false);
      this.leadId = leadId;
    }

    public String leadId() { return leadId; }
  }

  /** The step's prerequisite has no {@code done} result for the lead yet. */
  public static final class PrerequisiteMissing extends RuntimeException {
    private final String leadId;
    private final Step missing;

    public PrerequisiteMissing(String leadId, Step missing) {
      super("lead " + leadId + " has no " + missing.wire() + " result yet", null, false, false);
      this.leadId = leadId;
      this.missing = missing;
    }

    public String leadId() { return leadId; }

    public Step missing() { return missing; }
  }

  /**
   * The lead's latest qualification is disqualified (opted out, do not contact, …): it gets no research and no draft,
   * whichever way the step is asked for. A cold lead may still be researched and drafted on an explicit request (a run
   * skips it; a person asking for one lead overrides that), a disqualified one never.
   */
  public static final class NotEngaged extends RuntimeException {
    private final String leadId;
    private final Tier tier;

    public NotEngaged(String leadId, Tier tier) {
      super("lead " + leadId + " is " + tier.wire() + ": a disqualified lead gets no research and no outreach", null,
          false, false);
      this.leadId = leadId;
      this.tier = tier;
    }

    public String leadId() { return leadId; }

    public Tier tier() { return tier; }
  }

  /**
   * Runs {@code step} (qualify, research or outreach) for the lead now and records it. Fails with {@link LeadNotFound},
   * {@link PrerequisiteMissing}, or — after the failed step is recorded — with the call's own failure.
   *
   * @param requestId the router request id prefix; {@code :<leadId>:<step>} is appended
   * @param actor     who asks: the lead must be visible to it ({@link LeadNotFound} otherwise), its key pays
   */
  public Future<StepRecord> run(String leadId, Step step, String requestId, Actor actor) {
    return lead(leadId, actor).compose(l -> {
      String rid = requestId + ":" + l.id() + ":" + step.wire();
      return switch (step) {
        case QUALIFY -> record(l, step, () -> qualify.qualify(l, rid, actor));
        case RESEARCH -> prerequisite(l, step, Qualification.class).compose(q -> engaged(l, q))
            .compose(q -> record(l, step, () -> research.research(l, q, rid, actor)));
        case OUTREACH -> prerequisite(l, step, ResearchBrief.class)
            .compose(b -> prerequisite(l, Step.RESEARCH, Qualification.class).compose(q -> engaged(l, q)).map(q -> b))
            .compose(b -> record(l, step, () -> outreach.draft(l, b, rid, actor)));
        case PARSE -> Future.failedFuture(new IllegalArgumentException("parse is not a step of a stored lead"));
      };
    });
  }

  /** A lead and the latest finished record of each of its steps over all runs (empty: never finished). */
  public record LeadResults(Lead lead, Map<Step, Optional<StepRecord>> steps) {}

  /** The lead with its latest results; {@link LeadNotFound} without the lead or when {@code actor} may not see it. */
  public Future<LeadResults> latest(String leadId, Actor actor) {
    return blocking(() -> {
      Lead l = leads.find(actor, leadId).orElseThrow(() -> new LeadNotFound(leadId));
      Map<Step, Optional<StepRecord>> out = new EnumMap<>(Step.class);
      for (Step st : Step.values()) out.put(st, runs.latestStep(l.id(), st));
      return new LeadResults(l, out);
    });
  }

  /**
   * Every lead {@code actor} may see (by email) with the HubSpot columns and the result columns of its latest
   * qualification and outreach, whatever run produced them. Blocking: call it off the event loop.
   */
  public void exportLatest(Writer out, Actor actor) throws IOException {
    List<String> header = new ArrayList<>();
    for (LeadColumn c : LeadColumn.values()) header.add(c.label());
    List<RunStore.RunLead> rows = new ArrayList<>();
    Map<String, Lead> byId = new HashMap<>();
    Map<String, StepRecord> steps = new HashMap<>();
    for (int offset = 0; ; offset += PAGE) {
      List<Lead> page = leads.list(actor, offset, PAGE);
      for (Lead l : page) {
        rows.add(new RunStore.RunLead(l.id(), rows.size(), Map.of()));
        byId.put(l.id(), l);
        for (Step st : List.of(Step.QUALIFY, Step.OUTREACH)) runs.latestStep(l.id(), st).ifPresent(r -> steps.put(r.key(), r));
      }
      if (page.size() < PAGE) break;
    }
    ResultsExport.write(out, header, rows, byId, steps, reviews);
  }

  private Future<Lead> lead(String id, Actor actor) {
    return blocking(() -> leads.find(actor, id).orElseThrow(() -> new LeadNotFound(id)));
  }

  private static Future<Qualification> engaged(Lead l, Qualification q) {
    return q.tier() != Tier.DISQUALIFIED ? Future.succeededFuture(q) : Future.failedFuture(new NotEngaged(l.id(), q.tier()));
  }

  private <T> Future<T> prerequisite(Lead l, Step step, Class<T> type) {
    Step need = step.prerequisite();
    return blocking(() -> {
      StepRecord r = runs.latestStep(l.id(), need).filter(x -> x.status() == StepStatus.DONE)
          .orElseThrow(() -> new PrerequisiteMissing(l.id(), need));
      return AgentJson.read(r.resultJson(), type);
    });
  }

  private <T> Future<StepRecord> record(Lead l, Step step, Supplier<Future<StructuredResult<T>>> call) {
    return recorder.record(API_RUN, l.id(), step, recorder.now(), call)
        .compose(r -> r.done() ? Future.succeededFuture(r.record()) : Future.failedFuture(r.failure()));
  }

  private <T> Future<T> blocking(Callable<T> c) {
    return vertx.executeBlocking(c, false);
  }
}
