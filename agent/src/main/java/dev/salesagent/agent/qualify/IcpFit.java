package dev.salesagent.agent.qualify;

/** How well the account matches the ideal-customer profile. */
public enum IcpFit {
  STRONG, PARTIAL, NONE;

  public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
