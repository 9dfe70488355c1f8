package dev.salesagent.agent.reply;

import dev.salesagent.agent.schema.Desc;
import dev.salesagent.agent.schema.Size;
import java.util.Objects;

/** The model's reading of a reply: a category and the words of the reply that show it. */
@Desc("The category of a reply to a sales email and the exact words of the reply that show it")
public record ReplyAssessment(
    @Desc("interested: wants a call, demo or more; objection: a reason against (price, has a tool, no need); not_now: "
        + "later, next quarter; referral: points to another person; unsubscribe: asks not to be emailed; "
        + "out_of_office: an absence notice; bounce: a delivery failure; other: anything else") ReplyCategory category,
    @Desc("A short exact quote from the reply that shows the category") @Size(min = 1, max = 300) String evidence,
    @Desc("One sentence: why this category") @Size(min = 1, max = 300) String reason) {
  public ReplyAssessment {
    Objects.requireNonNull(category, "category");
    if (evidence == null || evidence.isBlank()) throw new IllegalArgumentException("a triage needs evidence");
  }
}
