package dev.salesagent.agent.reply;

import java.util.Objects;

/**
 * The triage of one reply.
 *
 * @param decidedBy {@code rules} (a free rule, no model call, no cost) or {@code model}
 * @param rule      which free rule decided ({@code auto-submitted}, {@code dsn}, …), {@code null} for the model
 */
public record Triage(ReplyCategory category, String evidence, String decidedBy, String rule, String provider,
    String model, double costUsd, String requestId) {
  public Triage {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(decidedBy, "decidedBy");
  }

  public static Triage byRule(ReplyCategory c, String rule, String evidence) {
    return new Triage(c, evidence, "rules", rule, null, null, 0, null);
  }
}
