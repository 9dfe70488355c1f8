package dev.salesagent.agent.pipeline;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A pipeline step. {@code qualify → research → outreach} is a chain (each needs the ones before it); {@code parse}
 * (a contact card from a signature or reply in the lead's notes) is independent of it and not in the default steps.
 */
public enum Step {
  QUALIFY, RESEARCH, OUTREACH, PARSE;

  /** The contract's default {@code --steps}. */
  public static final String DEFAULT = "qualify,research,outreach";

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  /**
   * The step whose {@code done} result this one is built on, or {@code null}: research needs the qualification (only
   * hot and warm leads are researched), outreach the research brief (drafts are grounded in it). The pipeline runs
   * them in this order and the HTTP API refuses a step whose prerequisite has no result yet.
   */
  public Step prerequisite() {
    return switch (this) {
      case RESEARCH -> QUALIFY;
      case OUTREACH -> RESEARCH;
      case QUALIFY, PARSE -> null;
    };
  }

  public static Step fromWire(String s) {
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown step '" + s + "' (expected qualify, research, outreach or parse)");
    }
  }

  /** Parses {@code qualify,research,outreach[,parse]}; refuses a step without the ones it needs. */
  public static Set<Step> parseList(String csv) {
    Set<Step> steps = EnumSet.noneOf(Step.class);
    for (String s : csv.split(",")) if (!s.isBlank()) steps.add(fromWire(s));
    if (steps.isEmpty()) throw new IllegalArgumentException("--steps needs at least one step");
    for (Step s : steps) {
      if (s.prerequisite() != null && !steps.contains(s.prerequisite())) throw new IllegalArgumentException(s.needs());
    }
    return steps;
  }

  /** Why this step cannot run without its prerequisite (the {@code --steps} error). */
  private String needs() {
    return this == RESEARCH ? "research needs qualify (only hot and warm leads are researched)"
        : "outreach needs research (drafts are grounded in the brief)";
  }

  public static String join(Set<Step> steps) {
    List<String> out = new ArrayList<>();
    for (Step s : values()) if (steps.contains(s)) out.add(s.wire());
    return String.join(",", out);
  }
}
