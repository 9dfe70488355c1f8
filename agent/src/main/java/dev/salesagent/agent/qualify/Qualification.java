package dev.salesagent.agent.qualify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A lead's qualification as stored and exported. {@code score} is the BANT sum (0–100) and {@code tier} follows the
 * configured rubric; both are computed by {@link Rubric}, never taken from the model.
 *
 * @param disqualifiers the hard disqualifiers (tier disqualified when not empty)
 * @param unconfirmedDisqualifiers disqualifiers the model claimed without a quote that shows them: kept for audit, not counted
 * @param icpFit   {@code null} only for a lead a rule disqualified before any model saw it (see {@link #ruled})
 * @param rubricVersion the scoring configuration's version, so results stay explainable after the rubric changes
 * @param tierReason why the lead has its tier, in words ("score 84 would be hot (≥ 70); ICP fit none caps it at
 *                   cold"); {@code null} in records written before it existed
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
    String rubricVersion,
    String tierReason) {

  /** As before {@code tierReason} existed. */
  public Qualification(int score, Tier tier, BantCriterion budget, BantCriterion authority, BantCriterion need,
      BantCriterion timeline, IcpFit icpFit, String icpEvidence, List<String> reasons, List<Disqualifier> disqualifiers,
      List<Disqualifier> unconfirmedDisqualifiers, String nextAction, String rubricVersion) {
    this(score, tier, budget, authority, need, timeline, icpFit, icpEvidence, reasons, disqualifiers,
        unconfirmedDisqualifiers, nextAction, rubricVersion, null);
  }

  public Qualification {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(need, "need");
    Objects.requireNonNull(timeline, "timeline");
    if (icpFit == null && tier != Tier.DISQUALIFIED) throw new NullPointerException("icp fit");
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

  /**
   * A lead disqualified by a deterministic rule before any model call (an opt-out: its text must not go to a
   * provider): score 0, no BANT evidence, ICP fit not assessed.
   */
  public static Qualification ruled(List<Disqualifier> hard, String nextAction, String rubricVersion) {
    List<String> reasons = new ArrayList<>();
    for (Disqualifier d : hard) reasons.add(Rubric.describe(d));
    reasons.add("not sent to a model: a rule disqualified the lead first");
    return new Qualification(0, Tier.DISQUALIFIED, BantCriterion.none(), BantCriterion.none(), BantCriterion.none(),
        BantCriterion.none(), null, null, reasons, hard, List.of(), nextAction, rubricVersion, reasons.get(0));
  }
}
