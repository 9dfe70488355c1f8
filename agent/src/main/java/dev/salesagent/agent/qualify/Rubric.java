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
  private final OptOutDetector optOut;

  public Rubric(ScoringConfig config) {
    this(config, OptOutDetector.bundled());
  }

  public Rubric(ScoringConfig config, OptOutDetector optOut) {
    this.config = config;
    this.optOut = optOut;
  }

  public Qualification apply(QualificationAssessment a, Lead lead) {
    var r = config.rubric();
    List<Disqualifier> found = new ArrayList<>(ruleDisqualifiers(lead));
    List<Disqualifier> unconfirmed = new ArrayList<>();
    for (Disqualifier d : a.disqualifiers()) {
      if (corroborated(d)) found.add(d); else unconfirmed.add(d);
    }
    int score = a.bantSum();
    Tier byScore = score >= r.hot() ? Tier.HOT : score >= r.warm() ? Tier.WARM : Tier.COLD;
    Tier tier = byScore;
    String why = "score " + score + (byScore == Tier.HOT ? " ≥ hot " + r.hot()
        : byScore == Tier.WARM ? " ≥ warm " + r.warm() + " (hot ≥ " + r.hot() + ")" : " < warm " + r.warm());
    String cap = r.icpFitCap().get(a.icpFit().wire());
    if (cap != null && tier.atMost(Tier.fromWire(cap)) != tier) {
      tier = tier.atMost(Tier.fromWire(cap));
      why = "score " + score + " would be " + byScore.wire() + " (" + (byScore == Tier.HOT ? "≥ " + r.hot() : "≥ " + r.warm())
          + "); ICP fit " + a.icpFit().wire() + " caps it at " + tier.wire();
    }
    List<Disqualifier> hard = new ArrayList<>();
    List<String> reasons = new ArrayList<>(a.reasons());
    for (Disqualifier d : found) {
      if (r.disqualifyOn().contains(d.code().wire())) {
        if (hard.stream().noneMatch(h -> h.code() == d.code())) hard.add(d);
      } else {
        if (tier != Tier.COLD) why = why + "; " + d.code().wire().replace('_', ' ') + " caps it at cold";
        tier = tier.atMost(Tier.COLD);
        reasons.add(d.code().wire().replace('_', ' ') + ": " + d.evidence());
      }
    }
    if (!hard.isEmpty()) {
      tier = Tier.DISQUALIFIED;
      for (Disqualifier d : hard) reasons.add(0, describe(d));
      why = describe(hard.get(0));
    }
    String next = r.nextActions().get(tier.wire());
    return new Qualification(score, tier, a.budget(), a.authority(), a.need(), a.timeline(), a.icpFit(), a.icpEvidence(),
        reasons.size() > 8 ? reasons.subList(0, 8) : reasons, hard, unconfirmed, next, config.version(), why);
  }

  /** {@code disqualified (opted out): "Please remove me from your mailing list."} */
  static String describe(Disqualifier d) {
    return "disqualified (" + d.code().wire().replace('_', ' ') + "): \"" + d.evidence() + "\"";
  }

  /**
   * The disqualification to apply before any model call, or {@code null}: a lead that opted out (its notes or job
   * title say so in one of the {@link OptOutDetector}'s languages) is disqualified without sending its text to a
   * provider, when {@code opted_out} is among the rubric's {@code disqualify_on} codes.
   */
  public Qualification beforeModel(Lead lead) {
    if (!config.rubric().disqualifyOn().contains(DisqualifierCode.OPTED_OUT.wire())) return null;
    List<Disqualifier> opt = ruleDisqualifiers(lead).stream().filter(d -> d.code() == DisqualifierCode.OPTED_OUT).toList();
    if (opt.isEmpty()) return null;
    return Qualification.ruled(List.of(opt.get(0)), config.rubric().nextActions().get(Tier.DISQUALIFIED.wire()),
        config.version());
  }

  /** The configured rules that match the lead itself. */
  public List<Disqualifier> ruleDisqualifiers(Lead lead) {
    List<Disqualifier> out = new ArrayList<>();
    for (String text : new String[] {lead.notes(), lead.jobTitle()}) {
      var m = optOut.find(text);
      if (m.isPresent()) {
        out.add(new Disqualifier(DisqualifierCode.OPTED_OUT, m.get().quote()));
        break;
      }
    }
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
