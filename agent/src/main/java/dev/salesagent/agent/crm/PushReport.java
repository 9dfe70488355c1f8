package dev.salesagent.agent.crm;

import java.util.List;

/** Every record's {@link PushOutcome}, in the order given, and the custom properties created on the way. */
public record PushReport(List<PushOutcome> outcomes, List<String> propertiesCreated) {
  public PushReport {
    outcomes = List.copyOf(outcomes);
    propertiesCreated = List.copyOf(propertiesCreated);
  }

  public long count(PushOutcome.Status s) {
    return outcomes.stream().filter(o -> o.status() == s).count();
  }

  public boolean complete() {
    return outcomes.stream().allMatch(o -> o.status() == PushOutcome.Status.PUSHED);
  }
}
