package dev.salesagent.agent.research;

import dev.salesagent.agent.schema.Desc;
import dev.salesagent.agent.schema.Size;
import java.util.List;

/**
 * An account brief built only from what the lead data and notes support: every pain, trigger and talking point
 * carries its source field and a quote (checked against the lead text by {@link ResearchUseCase}).
 */
@Desc("Account research brief for one lead, grounded in the lead data only")
public record ResearchBrief(
    @Desc("Two or three sentences on the account and the buyer") @Size(min = 1, max = 800) String summary,
    @Desc("Pains this buyer likely has") @Size(min = 1, max = 4) List<SourcedPoint> likelyPains,
    @Desc("Events or signals that make now a good time to buy") @Size(max = 4) List<SourcedPoint> buyingTriggers,
    @Desc("What to bring up in a first conversation") @Size(min = 1, max = 4) List<SourcedPoint> talkingPoints) {

  public ResearchBrief {
    if (summary == null || summary.isBlank()) throw new IllegalArgumentException("summary is required");
    likelyPains = likelyPains == null ? List.of() : List.copyOf(likelyPains);
    buyingTriggers = buyingTriggers == null ? List.of() : List.copyOf(buyingTriggers);
    talkingPoints = talkingPoints == null ? List.of() : List.copyOf(talkingPoints);
    if (likelyPains.isEmpty()) throw new IllegalArgumentException("at least one likely pain is required");
    if (talkingPoints.isEmpty()) throw new IllegalArgumentException("at least one talking point is required");
  }

  /** Every point, for checks and for the outreach prompt. */
  public List<SourcedPoint> allPoints() {
    var all = new java.util.ArrayList<SourcedPoint>(likelyPains);
    all.addAll(buyingTriggers);
    all.addAll(talkingPoints);
    return all;
  }

  /** The brief as source text for the outreach prompt (and for its grounding check). */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("Summary: ").append(summary.replace('\n', ' ')).append('\n');
    for (SourcedPoint p : likelyPains) sb.append("Pain: ").append(p.point()).append('\n');
    for (SourcedPoint p : buyingTriggers) sb.append("Trigger: ").append(p.point()).append('\n');
    for (SourcedPoint p : talkingPoints) sb.append("Talking point: ").append(p.point()).append('\n');
    return sb.toString().strip();
  }
}
