package dev.salesagent.agent.qualify;

import java.util.Locale;

/** Qualification tier, best first. */
public enum Tier {
  HOT, WARM, COLD, DISQUALIFIED;

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  public static Tier fromWire(String s) {
    return valueOf(s.strip().toUpperCase(Locale.ROOT));
  }

  /** The worse of two tiers. */
  public Tier atMost(Tier cap) {
    return this.ordinal() >= cap.ordinal() ? this : cap;
  }

  public boolean engaged() {
    return this == HOT || this == WARM;
  }
}
