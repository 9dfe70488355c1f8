package dev.salesagent.agent.send;

import java.util.Locale;

/**
 * Where one send stands. {@code RECORDED} is written before the SMTP transaction, {@code SENT} or {@code FAILED} after
 * it. A {@code RECORDED} row found by a later {@code send} means the process died between record and mark: the message
 * may or may not have left, so it becomes {@code UNCERTAIN} and is never sent again automatically (at most once).
 */
public enum SendStatus {
  RECORDED, SENT, FAILED, UNCERTAIN;

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  public static SendStatus fromWire(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }

  /** Counts against a mailbox's daily cap: everything that may have reached the SMTP server. */
  public boolean mayHaveLeft() { return this != FAILED; }
}
