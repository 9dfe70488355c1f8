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
    if (steps.contains(RESEARCH) && !steps.contains(QUALIFY)) throw new IllegalArgumentException("research needs qualify (only hot and warm leads are researched)");
    if (steps.contains(OUTREACH) && !steps.contains(RESEARCH)) throw new IllegalArgumentException("outreach needs research (drafts are grounded in the brief)");
    return steps;
  }

  public static String join(Set<Step> steps) {
    List<String> out = new ArrayList<>();
    for (Step s : values()) if (steps.contains(s)) out.add(s.wire());
    return String.join(",", out);
  }
}
