package dev.salesagent.agent.outcome;

import java.util.Locale;
import java.util.Set;

/**
 * The outcomes the sales loop is paid for, and the router tasks whose spend each one carries: everything spent on the
 * way to it, on every lead (a cold lead's qualification is part of what a qualified lead cost).
 */
public enum Outcome {
  /** A lead qualified hot or warm. */
  QUALIFIED_LEAD(Set.of("qualification", "parsing")),
  /** A draft a person approved in the review queue. */
  APPROVED_DRAFT(Set.of("qualification", "parsing", "research", "content")),
  /** An email the SMTP server accepted. */
  SENT_EMAIL(Set.of("qualification", "parsing", "research", "content")),
  /** A reply triaged {@code interested}. */
  INTERESTED_REPLY(Set.of("qualification", "parsing", "research", "content", "triage"));

  private final Set<String> tasks;

  Outcome(Set<String> tasks) {
    this.tasks = tasks;
  }

  public boolean carries(String task) {
    return tasks.contains(task);
  }

  public String wire() { return name().toLowerCase(Locale.ROOT); }
}
