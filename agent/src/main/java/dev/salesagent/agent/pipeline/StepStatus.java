package dev.salesagent.agent.pipeline;

import java.util.Locale;

/**
 * {@code running}: the call was issued and has not been recorded as finished (after a crash: will be repeated by
 * {@code --resume}); {@code done}/{@code failed}: finished and paid for, never repeated by {@code --resume};
 * {@code skipped}: not needed (a cold lead is not researched).
 */
public enum StepStatus {
  RUNNING, DONE, FAILED, SKIPPED;

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  public static StepStatus fromWire(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }

  public boolean finished() { return this != RUNNING; }
}
