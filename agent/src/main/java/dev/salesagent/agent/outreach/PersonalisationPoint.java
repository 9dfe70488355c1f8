package dev.salesagent.agent.outreach;

import dev.salesagent.agent.schema.Desc;
import dev.salesagent.agent.schema.Size;

@Desc("A personal detail used in the email and the exact words of the sources it comes from")
public record PersonalisationPoint(
    @Desc("The detail as used in the email") @Size(min = 1, max = 300) String detail,
    @Desc("A short exact quote from the lead or brief text") @Size(min = 1, max = 300) String evidence) {
  public PersonalisationPoint {
    if (detail == null || detail.isBlank()) throw new IllegalArgumentException("a personalisation detail must not be blank");
    if (evidence == null || evidence.isBlank()) throw new IllegalArgumentException("a personalisation point needs evidence");
  }
}
