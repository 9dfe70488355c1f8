package dev.salesagent.router.model;

/**
 * Who wrote a message. Providers without a system role get the system text another way (Anthropic: top-level
 * {@code system}); a {@code TOOL} message holds tool results (Anthropic: {@code tool_result} blocks in a user turn).
 */
public enum Role {
  SYSTEM, USER, ASSISTANT, TOOL;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Role fromWire(String s) {
    return switch (s) {
      case "system", "developer" -> SYSTEM;
      case "user" -> USER;
      case "assistant" -> ASSISTANT;
      case "tool" -> TOOL;
      default -> throw new IllegalArgumentException("unknown role '" + s + "' (expected system, user, assistant or tool)");
    };
  }
}
