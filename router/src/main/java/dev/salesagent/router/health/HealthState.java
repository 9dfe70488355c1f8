package dev.salesagent.router.health;

/** A provider's health as plans and {@code providers} see it. */
public enum HealthState {
  HEALTHY, DEGRADED, DOWN, UNCONFIGURED;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
