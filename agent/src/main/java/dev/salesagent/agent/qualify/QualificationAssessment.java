package dev.salesagent.agent.qualify;

import dev.salesagent.agent.schema.Desc;
import dev.salesagent.agent.schema.Nullable;
import dev.salesagent.agent.schema.Size;
import java.util.List;
import java.util.Objects;

/**
 * What the model is asked for: the BANT breakdown with evidence, ICP fit, reasons and disqualifiers. The score and
 * tier are not the model's: {@link Rubric} computes them from this, so they are reproducible and configurable.
 */
@Desc("BANT assessment of one lead against the ideal-customer profile")
public record QualificationAssessment(
    BantCriterion budget,
    BantCriterion authority,
    BantCriterion need,
    BantCriterion timeline,
    @Desc("How well the account matches the ideal-customer profile") IcpFit icpFit,
    @Desc("A short exact quote from the lead text supporting the ICP fit; null when fit is none") @Nullable
    @Size(max = 300) String icpEvidence,
    @Desc("1-5 short reasons for the assessment, in plain words") @Size(min = 1, max = 5) List<String> reasons,
    @Desc("Hard disqualifiers found in the lead, usually none") @Size(max = 3) List<Disqualifier> disqualifiers) {

  public QualificationAssessment {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(need, "need");
    Objects.requireNonNull(timeline, "timeline");
    Objects.requireNonNull(icpFit, "icp_fit");
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    disqualifiers = disqualifiers == null ? List.of() : List.copyOf(disqualifiers);
    if (reasons.isEmpty() || reasons.size() > 5) throw new IllegalArgumentException("give 1 to 5 reasons");
    for (String r : reasons) {
      if (r == null || r.isBlank()) throw new IllegalArgumentException("a reason must not be blank");
    }
    if (icpEvidence != null && icpEvidence.isBlank()) icpEvidence = null;
    if (icpFit != IcpFit.NONE && icpEvidence == null) {
      throw new IllegalArgumentException("an ICP fit of " + icpFit.wire() + " needs icp_evidence quoted from the lead");
    }
  }

  public int bantSum() {
    return budget.score() + authority.score() + need.score() + timeline.score();
  }
}
