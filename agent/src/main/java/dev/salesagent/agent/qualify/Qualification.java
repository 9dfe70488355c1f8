package dev.salesagent.agent.qualify;

import java.util.List;
import java.util.Objects;

/**
 * A lead's qualification as stored and exported. {@code score} is the BANT sum (0–100) and {@code tier} follows the
 * configured rubric; both are computed by {@link Rubric}, never taken from the model.
 *
 * @param disqualifiers the hard disqualifiers (tier disqualified when not empty)
 * @param unconfirmedDisqualifiers disqualifiers the model claimed without a quote that shows them: kept for audit, not counted
 * @param rubricVersion the scoring configuration's version, so results stay explainable after the rubric changes
 */
public record Qualification(
    int score,
    Tier tier,
    BantCriterion budget,
    BantCriterion authority,
    BantCriterion need,
    BantCriterion timeline,
    IcpFit icpFit,
    String icpEvidence,
    List<String> reasons,
    List<Disqualifier> disqualifiers,
    List<Disqualifier> unconfirmedDisqualifiers,
    String nextAction,
    String rubricVersion) {

  public Qualification {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(need, "need");
    Objects.requireNonNull(timeline, "timeline");
    Objects.requireNonNull(icpFit, "icp fit");
    reasons = List.copyOf(reasons);
    disqualifiers = List.copyOf(disqualifiers);
    unconfirmedDisqualifiers = unconfirmedDisqualifiers == null ? List.of() : List.copyOf(unconfirmedDisqualifiers);
    if (score < 0 || score > 100) throw new IllegalArgumentException("score must be 0..100, got " + score);
    int sum = budget.score() + authority.score() + need.score() + timeline.score();
    if (score != sum) throw new IllegalArgumentException("score " + score + " is not the BANT sum " + sum);
    if (reasons.isEmpty()) throw new IllegalArgumentException("a qualification needs at least one reason");
    if (!disqualifiers.isEmpty() && tier != Tier.DISQUALIFIED) {
      throw new IllegalArgumentException("a lead with disqualifiers must be tier disqualified");
    }
    if (nextAction == null || nextAction.isBlank()) throw new IllegalArgumentException("next action is required");
  }
}
