package dev.salesagent.agent.reply;

import java.util.Locale;

/** What an inbound reply to our outreach says. */
public enum ReplyCategory {
  INTERESTED, OBJECTION, NOT_NOW, REFERRAL, UNSUBSCRIBE, OUT_OF_OFFICE, BOUNCE, OTHER;

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  public static ReplyCategory fromWire(String s) {
    return valueOf(s.strip().toUpperCase(Locale.ROOT));
  }
}
