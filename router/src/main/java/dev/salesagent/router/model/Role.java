package dev.salesagent.router.model;

/** Who wrote a message. Providers without a system role get the system text another way (Anthropic: top-level {@code system}). */
public enum Role {
  SYSTEM, USER, ASSISTANT;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Role fromWire(String s) {
    return switch (s) {
      case "system", "developer" -> SYSTEM;
      case "user" -> USER;
      case "assistant" -> ASSISTANT;
      default -> throw new IllegalArgumentException("unknown role '" + s + "' (expected system, user or assistant)");
    };
  }
}
