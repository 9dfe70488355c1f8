package dev.salesagent.agent.review;

import java.util.Objects;

/**
 * A draft is the outreach result of one lead in one run, so its id is the pair: {@code <runId>.<leadId>} (lead ids
 * are {@code L-} and 16 hex digits, so the split is unambiguous whatever the run id holds).
 */
public record DraftId(String runId, String leadId) {
  private static final int LEAD_ID_LENGTH = 18;

  public DraftId {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(leadId, "leadId");
  }

  public String wire() { return runId + "." + leadId; }

  /** @throws IllegalArgumentException when {@code s} is not {@code <runId>.<leadId>} */
  public static DraftId parse(String s) {
    if (s == null || s.length() < LEAD_ID_LENGTH + 2 || s.charAt(s.length() - LEAD_ID_LENGTH - 1) != '.'
        || !s.substring(s.length() - LEAD_ID_LENGTH).matches("L-[0-9a-f]{16}")) {
      throw new IllegalArgumentException("'" + s + "' is not a draft id (<run id>.<lead id>, e.g. api.L-0123456789abcdef)");
    }
    return new DraftId(s.substring(0, s.length() - LEAD_ID_LENGTH - 1), s.substring(s.length() - LEAD_ID_LENGTH));
  }

  @Override
  public String toString() { return wire(); }
}
