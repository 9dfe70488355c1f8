package dev.salesagent.agent.qualify;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ideal-customer profile, the scoring rubric and the sender's identity: configuration, not code. The default is
 * the resource {@code sales-agent/scoring.yaml}; {@code --icp FILE} or {@code SALES_AGENT_ICP} replace it with a
 * file of the same shape. Unknown keys are errors that name the key.
 */
public record ScoringConfig(String version, Icp icp, RubricSpec rubric, Sender sender) {

  public ScoringConfig {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(icp, "icp");
    Objects.requireNonNull(rubric, "rubric");
    Objects.requireNonNull(sender, "sender");
  }

  /** Who we sell to. */
  public record Icp(
      String description,
      List<String> industries,
      @JsonProperty("employees_min") int employeesMin,
      @JsonProperty("employees_max") int employeesMax,
      List<String> countries,
      @JsonProperty("target_titles") List<String> targetTitles) {
    public Icp {
      if (description == null || description.isBlank()) throw new IllegalArgumentException("icp.description is required");
      industries = industries == null ? List.of() : List.copyOf(industries);
      countries = countries == null ? List.of() : List.copyOf(countries);
      targetTitles = targetTitles == null ? List.of() : List.copyOf(targetTitles);
      if (employeesMin < 0 || employeesMax < employeesMin) {
        throw new IllegalArgumentException("icp.employees_min/max must satisfy 0 <= min <= max");
      }
    }
  }

  /**
   * @param hot         minimum score of a hot lead
   * @param warm        minimum score of a warm lead (below = cold)
   * @param icpFitCap   the best tier each ICP fit allows ({@code strong: hot, partial: warm, none: cold})
   * @param disqualifyOn disqualifier codes that make a lead disqualified; others are reported but only cap at cold
   * @param nextActions the next action per tier
   * @param disqualifyRules deterministic disqualifiers checked on the lead itself, before the model's answer counts
   * @param corroborate  per code, words one of which a model-given disqualifier's quote must contain to count
   */
  public record RubricSpec(
      int hot,
      int warm,
      @JsonProperty("icp_fit_cap") Map<String, String> icpFitCap,
      @JsonProperty("disqualify_on") List<String> disqualifyOn,
      @JsonProperty("next_actions") Map<String, String> nextActions,
      @JsonProperty("disqualify_rules") List<DisqualifyRule> disqualifyRules,
      Map<String, List<String>> corroborate) {
    public RubricSpec {
      disqualifyRules = disqualifyRules == null ? List.of() : List.copyOf(disqualifyRules);
      corroborate = corroborate == null ? Map.of() : Map.copyOf(corroborate);
      for (String c : corroborate.keySet()) DisqualifierCode.valueOf(c.toUpperCase(java.util.Locale.ROOT));
      if (warm < 0 || hot > 100 || warm >= hot) {
        throw new IllegalArgumentException("rubric thresholds must satisfy 0 <= warm < hot <= 100 (got warm " + warm + ", hot " + hot + ")");
      }
      icpFitCap = icpFitCap == null ? Map.of() : Map.copyOf(icpFitCap);
      disqualifyOn = disqualifyOn == null ? List.of() : List.copyOf(disqualifyOn);
      nextActions = nextActions == null ? Map.of() : Map.copyOf(nextActions);
      for (var e : icpFitCap.entrySet()) {
        IcpFit.valueOf(e.getKey().toUpperCase(java.util.Locale.ROOT));
        Tier.fromWire(e.getValue());
      }
      for (String c : disqualifyOn) DisqualifierCode.valueOf(c.toUpperCase(java.util.Locale.ROOT));
      for (Tier t : Tier.values()) {
        if (!nextActions.containsKey(t.wire())) throw new IllegalArgumentException("rubric.next_actions." + t.wire() + " is required");
      }
    }
  }

  /**
   * A deterministic disqualifier: when {@code pattern} (a Java regex) is found in the lead's {@code field}
   * ({@code job_title, company, industry, country, notes, email, email_domain, website}), the lead gets {@code code}.
   */
  public record DisqualifyRule(String code, String field, String pattern) {
    public DisqualifyRule {
      DisqualifierCode.valueOf(Objects.requireNonNull(code, "disqualify_rules[].code").toUpperCase(java.util.Locale.ROOT));
      if (!List.of("job_title", "company", "industry", "country", "notes", "email", "email_domain", "website").contains(field)) {
        throw new IllegalArgumentException("disqualify_rules[].field '" + field + "' is not a lead field");
      }
      java.util.regex.Pattern.compile(Objects.requireNonNull(pattern, "disqualify_rules[].pattern"));
    }

    public String valueIn(dev.salesagent.agent.lead.Lead l) {
      return switch (field) {
        case "job_title" -> l.jobTitle();
        case "company" -> l.company();
        case "industry" -> l.industry();
        case "country" -> l.country();
        case "notes" -> l.notes();
        case "email" -> l.email();
        case "email_domain" -> l.emailDomain();
        default -> l.website();
      };
    }
  }

  /** Who the outreach is from, and the opt-out line every draft ends with. */
  public record Sender(
      String name,
      String title,
      String company,
      String offering,
      @JsonProperty("unsubscribe_line") String unsubscribeLine) {
    public Sender {
      for (var f : new String[][] {{"name", name}, {"company", company}, {"offering", offering}, {"unsubscribe_line", unsubscribeLine}}) {
        if (f[1] == null || f[1].isBlank()) throw new IllegalArgumentException("sender." + f[0] + " is required");
      }
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public static ScoringConfig defaults() {
    try (InputStream in = ScoringConfig.class.getResourceAsStream("/sales-agent/scoring.yaml")) {
      if (in == null) throw new IllegalStateException("resource sales-agent/scoring.yaml is missing");
      return YAML.readValue(in, ScoringConfig.class);
    } catch (IOException e) {
      throw new IllegalStateException("the bundled scoring.yaml is invalid: " + e.getMessage(), e);
    }
  }

  /** Reads an override file; the message of a failure names the file and the offending key. */
  public static ScoringConfig load(Path file) {
    try {
      return YAML.readValue(Files.readString(file), ScoringConfig.class);
    } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(file + ": unknown key '" + e.getPropertyName() + "' at " + path(e), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": " + rootMessage(e), e);
    }
  }

  /** {@code file} when given, else {@code SALES_AGENT_ICP} when set, else the bundled defaults. */
  public static ScoringConfig resolve(Path file, Map<String, String> env) {
    if (file != null) return load(file);
    String p = env.get("SALES_AGENT_ICP");
    if (p != null && !p.isBlank()) return load(Path.of(p));
    return defaults();
  }

  private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (var r : e.getPath()) {
      if (sb.length() > 0) sb.append('.');
      sb.append(r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]");
    }
    return sb.toString();
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c.getMessage();
  }
}
