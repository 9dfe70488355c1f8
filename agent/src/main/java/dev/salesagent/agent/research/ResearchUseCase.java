package dev.salesagent.agent.research;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.lead.Evidence;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.lead.LeadCard;
import dev.salesagent.agent.prompt.PromptTemplate;
import dev.salesagent.agent.qualify.Qualification;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.schema.StructuredCaller;
import dev.salesagent.agent.schema.StructuredResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds a {@link ResearchBrief} through the router's {@code research} task; every point's quote must be in the lead. */
public final class ResearchUseCase {
  public static final String TASK = "research";
  private final StructuredCaller caller;
  private final ScoringConfig config;
  private final PromptTemplate template;

  public ResearchUseCase(StructuredCaller caller, ScoringConfig config) {
    this.caller = caller;
    this.config = config;
    this.template = PromptTemplate.load("research", "v1");
  }

  /** {@code actor} pays: its key\'s budget is checked before each router call and the ledger rows carry its key. */
  public Future<StructuredResult<ResearchBrief>> research(Lead lead, Qualification q, String requestId, Actor actor) {
    String card = LeadCard.render(lead);
    var prompt = template.render(Map.of("sender_company", config.sender().company(),
        "offering", config.sender().offering(), "tier", q.tier().wire(), "score", Integer.toString(q.score()),
        "reasons", String.join("; ", q.reasons()), "lead", card));
    return caller.call(TASK, ResearchBrief.class, prompt, requestId, actor.keyId(), 900, b -> check(b, card))
        .map(r -> new StructuredResult<>(attribute(r.value(), lead), r.promptId(), r.provider(), r.model(), r.costUsd(),
            r.calls(), r.latencyMs(), r.fallbacks(), r.requestIds()));
  }

  /**
   * Marks each point with the lead field its quote really comes from: the model's {@code source} is kept when the
   * quote is in that field, corrected when the quote is in another field, kept when the quote spans fields.
   */
  public static ResearchBrief attribute(ResearchBrief b, Lead lead) {
    java.util.function.Function<List<SourcedPoint>, List<SourcedPoint>> fix = ps -> ps.stream().map(p -> {
      LeadField f = LeadField.locate(lead, p.evidence(), p.source());
      return f == null || f == p.source() ? p : new SourcedPoint(p.point(), f, p.evidence());
    }).toList();
    return new ResearchBrief(b.summary(), fix.apply(b.likelyPains()), fix.apply(b.buyingTriggers()), fix.apply(b.talkingPoints()));
  }

  public static List<String> check(ResearchBrief b, String leadText) {
    List<String> errors = new ArrayList<>();
    points(errors, "likely_pains", b.likelyPains(), leadText);
    points(errors, "buying_triggers", b.buyingTriggers(), leadText);
    points(errors, "talking_points", b.talkingPoints(), leadText);
    String n = Evidence.unsupportedNumber(b.summary(), leadText);
    if (n != null) errors.add("$.summary: the figure " + n + " is not in the lead text");
    return errors;
  }

  private static void points(List<String> errors, String list, List<SourcedPoint> ps, String leadText) {
    Evidence.Source src = new Evidence.Source(leadText);
    for (int i = 0; i < ps.size(); i++) {
      SourcedPoint p = ps.get(i);
      if (!src.contains(p.evidence())) {
        errors.add("$." + list + "[" + i + "].evidence: \"" + p.evidence() + "\" is not an exact quote from the lead text");
      }
      String n = Evidence.unsupportedNumber(p.point(), leadText);
      if (n != null) errors.add("$." + list + "[" + i + "].point: the figure " + n + " is not in the lead text");
    }
  }
}
