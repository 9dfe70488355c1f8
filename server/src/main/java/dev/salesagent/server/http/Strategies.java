package dev.salesagent.server.http;

/** The optional {@code x-sales-agent-strategy} header: task, cost or latency. */
public final class Strategies {
  private Strategies() {}

  public static String fromHeader(String h) {
    if (h == null || h.isEmpty()) return null;
    return switch (h) {
      case "task", "cost", "latency" -> h;
      default -> throw ApiException.invalid("x-sales-agent-strategy",
          "x-sales-agent-strategy must be task, cost or latency, got '" + h + "'");
    };
  }
}
