package dev.salesagent.agent.review;

import java.util.Locale;

/** Where a draft stands in the review queue. Only an {@link #APPROVED} draft is ready to send. */
public enum DraftStatus {
  PENDING, APPROVED, REJECTED;

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  /** @throws IllegalArgumentException naming the accepted values */
  public static DraftStatus fromWire(String s) {
    for (DraftStatus d : values()) if (d.wire().equalsIgnoreCase(s == null ? "" : s.strip())) return d;
    throw new IllegalArgumentException("unknown draft status '" + s + "' (use pending, approved or rejected)");
  }
}
