package dev.salesagent.agent.qualify;

import dev.salesagent.agent.schema.Desc;
import dev.salesagent.agent.schema.Size;
import java.util.Objects;

@Desc("A hard reason not to pursue the lead, with the exact words from the lead that show it")
public record Disqualifier(
    DisqualifierCode code,
    @Desc("A short exact quote from the lead text") @Size(min = 1, max = 300) String evidence) {
  public Disqualifier {
    Objects.requireNonNull(code, "disqualifier code");
    if (evidence == null || evidence.isBlank()) throw new IllegalArgumentException("a disqualifier needs evidence");
  }
}
