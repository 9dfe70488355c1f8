package dev.salesagent.agent.qualify;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.lead.Evidence;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.lead.LeadCard;
import dev.salesagent.agent.prompt.PromptTemplate;
import dev.salesagent.agent.schema.StructuredCaller;
import dev.salesagent.agent.schema.StructuredResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Qualifies a lead through the router's {@code qualification} task: the model gives the BANT sub-scores with
 * quoted evidence, the ICP fit and reasons; every quote must be found in the lead text; the {@link Rubric} computes
 * score and tier from configuration.
 */
public final class QualifyUseCase {
  public static final String TASK = "qualification";
  /** The prompt id recorded for a qualification decided by rules alone (no model call). */
  public static final String RULES_PROMPT_ID = "rules";
  private final StructuredCaller caller;
  private final Rubric rubric;
  private final PromptTemplate template;

  public QualifyUseCase(StructuredCaller caller, ScoringConfig config) {
    this(caller, config, "v1");
  }

  public QualifyUseCase(StructuredCaller caller, ScoringConfig config, String promptVersion) {
    this.caller = caller;
    this.rubric = new Rubric(config);
    this.template = PromptTemplate.load("qualify", promptVersion);
  }

  /** {@code actor} pays: its key's budget is checked before each router call and the ledger rows carry its key. */
  public Future<StructuredResult<Qualification>> qualify(Lead lead, String requestId, Actor actor) {
    Qualification ruled = rubric.beforeModel(lead);
    if (ruled != null) {
      // an opt-out never reaches a provider: no call, no cost, disqualified with the sentence that says it
      return Future.succeededFuture(new StructuredResult<>(ruled, RULES_PROMPT_ID, null, null, 0, 0, 0, 0, List.of()));
    }
    String card = LeadCard.render(lead);
    var s = rubric.config().sender();
    var prompt = template.render(Map.of("sender_company", s.company(), "offering", s.offering(),
        "icp", rubric.describeIcp(), "lead", card));
    return caller.call(TASK, QualificationAssessment.class, prompt, requestId, actor.keyId(), 700, a -> check(a, card))
        .map(r -> new StructuredResult<>(rubric.apply(r.value(), lead), r.promptId(), r.provider(), r.model(), r.costUsd(),
            r.calls(), r.latencyMs(), r.fallbacks(), r.requestIds()));
  }

  /** Every quote must occur in the lead text. */
  public static List<String> check(QualificationAssessment a, String leadText) {
    List<String> errors = new ArrayList<>();
    Evidence.Source src = new Evidence.Source(leadText);
    quote(errors, "budget.evidence", a.budget().evidence(), src);
    quote(errors, "authority.evidence", a.authority().evidence(), src);
    quote(errors, "need.evidence", a.need().evidence(), src);
    quote(errors, "timeline.evidence", a.timeline().evidence(), src);
    quote(errors, "icp_evidence", a.icpEvidence(), src);
    for (int i = 0; i < a.disqualifiers().size(); i++) {
      quote(errors, "disqualifiers[" + i + "].evidence", a.disqualifiers().get(i).evidence(), src);
    }
    return errors;
  }

  private static void quote(List<String> errors, String path, String quote, Evidence.Source source) {
    if (quote != null && !source.contains(quote)) {
      errors.add("$." + path + ": \"" + abbreviate(quote) + "\" is not an exact quote from the lead text");
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  public Rubric rubric() {
    return rubric;
  }
}
