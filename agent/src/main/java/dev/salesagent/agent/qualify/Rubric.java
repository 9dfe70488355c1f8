package dev.salesagent.agent.qualify;

import dev.salesagent.agent.lead.Evidence;
import dev.salesagent.agent.lead.Lead;
import java.util.ArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Locale;

/** Turns a model's assessment into a {@link Qualification} by the configured rubric: same input, same score. */
public final class Rubric {
  private final ScoringConfig config;

  public Rubric(ScoringConfig config) {
    this.config = config;
  }

  public Qualification apply(QualificationAssessment a, Lead lead) {
    var r = config.rubric();
    List<Disqualifier> found = new ArrayList<>(ruleDisqualifiers(lead));
    List<Disqualifier> unconfirmed = new ArrayList<>();
    for (Disqualifier d : a.disqualifiers()) {
      if (corroborated(d)) found.add(d); else unconfirmed.add(d);
    }
    int score = a.bantSum();
    Tier tier = score >= r.hot() ? Tier.HOT : score >= r.warm() ? Tier.WARM : Tier.COLD;
    String cap = r.icpFitCap().get(a.icpFit().wire());
    if (cap != null) tier = tier.atMost(Tier.fromWire(cap));
    List<Disqualifier> hard = new ArrayList<>();
    List<String> reasons = new ArrayList<>(a.reasons());
    for (Disqualifier d : found) {
      if (r.disqualifyOn().contains(d.code().wire())) {
        if (hard.stream().noneMatch(h -> h.code() == d.code())) hard.add(d);
      } else {
        tier = tier.atMost(Tier.COLD);
        reasons.add(d.code().wire().replace('_', ' ') + ": " + d.evidence());
      }
    }
    if (!hard.isEmpty()) {
      tier = Tier.DISQUALIFIED;
      for (Disqualifier d : hard) reasons.add(0, "disqualified (" + d.code().wire().replace('_', ' ') + "): " + d.evidence());
    }
    String next = r.nextActions().get(tier.wire());
    return new Qualification(score, tier, a.budget(), a.authority(), a.need(), a.timeline(), a.icpFit(), a.icpEvidence(),
        reasons.size() > 8 ? reasons.subList(0, 8) : reasons, hard, unconfirmed, next, config.version());
  }

  /** The configured rules that match the lead itself. */
  public List<Disqualifier> ruleDisqualifiers(Lead lead) {
    List<Disqualifier> out = new ArrayList<>();
    for (var rule : config.rubric().disqualifyRules()) {
      String v = rule.valueIn(lead);
      if (v == null) continue;
      Matcher m = patterns.computeIfAbsent(rule.pattern(), Pattern::compile).matcher(v);
      if (m.find()) {
        out.add(new Disqualifier(DisqualifierCode.valueOf(rule.code().toUpperCase(Locale.ROOT)), m.group().isBlank() ? v : m.group()));
      }
    }
    return out;
  }

  /**
   * A model-given disqualifier counts only when its quote contains one of the words configured for its code (a
   * competitor claim must quote something about competing, a student claim something about studying). Codes without
   * configured words always count.
   */
  public boolean corroborated(Disqualifier d) {
    List<String> words = config.rubric().corroborate().get(d.code().wire());
    if (words == null) return true;
    String q = Evidence.normalize(d.evidence());
    for (String w : words) if (q.contains(Evidence.normalize(w))) return true;
    return false;
  }

  private final java.util.Map<String, Pattern> patterns = new java.util.concurrent.ConcurrentHashMap<>();

  /** Describes the ICP and rubric in words for the prompt. */
  public String describeIcp() {
    var icp = config.icp();
    StringBuilder sb = new StringBuilder(icp.description().strip());
    if (!icp.industries().isEmpty()) sb.append("\nTarget industries: ").append(String.join(", ", icp.industries()));
    sb.append("\nCompany size: ").append(icp.employeesMin()).append(" to ").append(icp.employeesMax()).append(" employees");
    if (!icp.countries().isEmpty()) sb.append("\nRegions: ").append(String.join(", ", icp.countries()));
    if (!icp.targetTitles().isEmpty()) sb.append("\nBuyer roles: ").append(String.join(", ", icp.targetTitles()));
    return sb.toString();
  }

  public String describeDisqualifiers() {
    List<String> out = new ArrayList<>();
    for (DisqualifierCode c : DisqualifierCode.values()) out.add(c.wire());
    return String.join(", ", out).toLowerCase(Locale.ROOT);
  }

  public ScoringConfig config() {
    return config;
  }
}
