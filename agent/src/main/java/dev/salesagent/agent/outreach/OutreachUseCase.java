package dev.salesagent.agent.outreach;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.lead.Evidence;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.research.ResearchBrief;
import dev.salesagent.agent.schema.StructuredCaller;
import dev.salesagent.agent.schema.StructuredResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Drafts the first-touch email through the router's {@code content} task. Grounding rules: every personalisation
 * point quotes the lead or the brief; every figure in subject, body and call to action occurs in those sources;
 * the unsubscribe line comes from configuration.
 */
public final class OutreachUseCase {
  public static final String TASK = "content";
  private final StructuredCaller caller;
  private final ScoringConfig config;
  private final OutreachGrounding grounding;

  public OutreachUseCase(StructuredCaller caller, ScoringConfig config) {
    this.caller = caller;
    this.config = config;
    this.grounding = new OutreachGrounding(config);
  }

  /** {@code actor} pays: its key\'s budget is checked before each router call and the ledger rows carry its key. */
  public Future<StructuredResult<OutreachDraft>> draft(Lead lead, ResearchBrief brief, String requestId, Actor actor) {
    var s = config.sender();
    var prompt = grounding.prompt(lead, brief);
    String sources = grounding.sources(prompt);
    return caller.call(TASK, OutreachContent.class, prompt, requestId, actor.keyId(), 900, c -> check(c, sources, s.unsubscribeLine()))
        .map(r -> new StructuredResult<>(toDraft(r.value(), s.unsubscribeLine()), r.promptId(), r.provider(), r.model(),
            r.costUsd(), r.calls(), r.latencyMs(), r.fallbacks(), r.requestIds()));
  }

  static OutreachDraft toDraft(OutreachContent c, String unsubscribeLine) {
    return new OutreachDraft(c.subject(), c.body(), c.personalisationPoints(), c.callToAction(), unsubscribeLine);
  }

  public static List<String> check(OutreachContent c, String sources, String unsubscribeLine) {
    List<String> errors = new ArrayList<>();
    try {
      toDraft(c, unsubscribeLine);
    } catch (IllegalArgumentException e) {
      errors.add("$: " + e.getMessage());
    }
    Evidence.Source src = new Evidence.Source(sources);
    for (int i = 0; i < c.personalisationPoints().size(); i++) {
      var p = c.personalisationPoints().get(i);
      if (!src.contains(p.evidence())) {
        errors.add("$.personalisation_points[" + i + "].evidence: \"" + p.evidence() + "\" is not an exact quote from the lead or brief");
      }
    }
    for (String[] f : new String[][] {{"subject", c.subject()}, {"body", c.body()}, {"call_to_action", c.callToAction()}}) {
      String n = Evidence.unsupportedNumber(f[1], sources);
      if (n != null) errors.add("$." + f[0] + ": the figure " + n + " is not supported by the lead or brief");
    }
    return errors;
  }
}
