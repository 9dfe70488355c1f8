package dev.salesagent.agent.research;

import dev.salesagent.agent.schema.Desc;
import dev.salesagent.agent.schema.Size;
import java.util.Objects;

/** A statement plus where it comes from: the lead field and the exact words of the lead that support it. */
@Desc("A point and its source in the lead")
public record SourcedPoint(
    @Desc("The point, one sentence") @Size(min = 1, max = 300) String point,
    @Desc("The lead field the point rests on") LeadField source,
    @Desc("A short exact quote from the lead text that supports the point") @Size(min = 1, max = 300) String evidence) {
  public SourcedPoint {
    if (point == null || point.isBlank()) throw new IllegalArgumentException("a point must not be blank");
    Objects.requireNonNull(source, "source");
    if (evidence == null || evidence.isBlank()) throw new IllegalArgumentException("a point needs evidence from the lead");
  }
}
