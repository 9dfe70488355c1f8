package dev.salesagent.agent.qualify;

import dev.salesagent.agent.schema.Desc;
import dev.salesagent.agent.schema.Nullable;
import dev.salesagent.agent.schema.Range;
import dev.salesagent.agent.schema.Size;

/** One BANT criterion: 0–25 points and the words of the lead that justify them ({@code null} only with 0 points). */
@Desc("One BANT criterion: a 0-25 sub-score and the exact words from the lead that support it")
public record BantCriterion(
    @Desc("0 = no signal or negative, 25 = confirmed") @Range(min = 0, max = 25) int score,
    @Desc("A short exact quote from the lead text supporting the score; null when the score is 0") @Nullable
    @Size(max = 300) String evidence) {

  public BantCriterion {
    if (score < 0 || score > 25) throw new IllegalArgumentException("a BANT sub-score must be 0..25, got " + score);
    if (evidence != null && evidence.isBlank()) evidence = null;
    if (score > 0 && evidence == null) {
      throw new IllegalArgumentException("a BANT sub-score above 0 needs evidence quoted from the lead");
    }
  }

  public static BantCriterion none() {
    return new BantCriterion(0, null);
  }
}
