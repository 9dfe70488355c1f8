package dev.salesagent.agent.outreach;

import dev.salesagent.agent.schema.Desc;
import dev.salesagent.agent.schema.Size;
import java.util.List;

/** What the model writes; the unsubscribe line is added from configuration, never from the model. */
@Desc("A first-touch sales email grounded in the lead and the research brief")
public record OutreachContent(
    @Desc("Short, specific subject line, under 10 words, no Re:/Fwd:") @Size(min = 1, max = 120) String subject,
    @Desc("Plain-text email body, 50-150 words, no placeholders, no claims the sources do not support") @Size(min = 1, max = 1500) String body,
    @Desc("The facts about the lead the email uses, each with an exact quote from the sources") @Size(min = 1, max = 4)
    List<PersonalisationPoint> personalisationPoints,
    @Desc("One clear ask, as a question") @Size(min = 1, max = 300) String callToAction) {

  public OutreachContent {
    personalisationPoints = personalisationPoints == null ? List.of() : List.copyOf(personalisationPoints);
  }
}
