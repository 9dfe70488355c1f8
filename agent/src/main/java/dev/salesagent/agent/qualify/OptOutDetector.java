package dev.salesagent.agent.qualify;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds an opt-out or do-not-contact statement in free text ("Please remove me from your mailing list", "Bitte
 * tragen Sie mich aus", "Ne me contactez plus", "Ya no trabajo en Acme") from the phrase lists of
 * {@code sales-agent/opt-out.yaml}: per language, {@code hard} phrases, {@code soft} phrases that a following
 * contrast word ({@code but}, {@code aber}, {@code mais}, {@code pero}) cancels, and {@code not_when} phrases
 * inside which a match does not count. Deterministic, no model, never throws on any input.
 */
public final class OptOutDetector {
  /** The phrase lists of one language, as in the YAML. */
  public record Language(List<String> hard, List<String> soft, List<String> contrast,
      @JsonProperty("not_when") List<String> notWhen) {
    public Language {
      hard = hard == null ? List.of() : List.copyOf(hard);
      soft = soft == null ? List.of() : List.copyOf(soft);
      contrast = contrast == null ? List.of() : List.copyOf(contrast);
      notWhen = notWhen == null ? List.of() : List.copyOf(notWhen);
    }
  }

  /** The whole file. */
  public record Phrases(Map<String, Language> languages) {
    public Phrases {
      if (languages == null || languages.isEmpty()) throw new IllegalArgumentException("opt-out phrases: no languages");
      languages = Map.copyOf(languages);
    }
  }

  /** What was found: the language and phrase that matched and the sentence of the original text that holds it. */
  public record Match(String language, String phrase, String quote) {}

  private record Rule(String language, String phrase, String needle, boolean soft, List<String> contrast) {}

  private final List<Rule> rules = new ArrayList<>();
  private final List<String> notWhen = new ArrayList<>();

  public OptOutDetector(Phrases phrases) {
    phrases.languages().forEach((lang, l) -> {
      List<String> contrast = l.contrast().stream().map(FoldedText::phrase).filter(s -> !s.isEmpty()).toList();
      for (String p : l.hard()) add(lang, p, false, contrast);
      for (String p : l.soft()) add(lang, p, true, contrast);
      for (String p : l.notWhen()) {
        String f = FoldedText.phrase(p);
        if (!f.isEmpty()) notWhen.add(" " + f + " ");
      }
    });
  }

  private void add(String lang, String phrase, boolean soft, List<String> contrast) {
    boolean prefix = phrase.endsWith("*");
    String f = FoldedText.phrase(prefix ? phrase.substring(0, phrase.length() - 1) : phrase);
    if (f.isEmpty()) throw new IllegalArgumentException("opt-out phrases (" + lang + "): '" + phrase + "' has no words");
    rules.add(new Rule(lang, phrase, " " + f + (prefix ? "" : " "), soft, contrast));
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final class Bundled {
    static final OptOutDetector INSTANCE = new OptOutDetector(load());

    private static Phrases load() {
      try (InputStream in = OptOutDetector.class.getResourceAsStream("/sales-agent/opt-out.yaml")) {
        if (in == null) throw new IllegalStateException("resource sales-agent/opt-out.yaml is missing");
        return YAML.readValue(in, Phrases.class);
      } catch (IOException e) {
        throw new IllegalStateException("the bundled opt-out.yaml is invalid: " + e.getMessage(), e);
      }
    }
  }

  /** The detector over the bundled phrase lists (English, German, French, Spanish). */
  public static OptOutDetector bundled() {
    return Bundled.INSTANCE;
  }

  /** The first opt-out statement in {@code text} (earliest in the text), or empty. */
  public Optional<Match> find(String text) {
    if (text == null || text.isBlank()) return Optional.empty();
    FoldedText t = FoldedText.of(text);
    String f = t.folded();
    Match best = null;
    int bestAt = Integer.MAX_VALUE;
    for (Rule r : rules) {
      int from = 0;
      while (true) {
        int at = f.indexOf(r.needle(), from);
        if (at < 0 || at >= bestAt) break;
        from = at + 1;
        int start = at + 1;
        int end = at + r.needle().length() - (r.needle().endsWith(" ") ? 1 : 0);
        if (insideException(f, start, end)) continue;
        if (r.soft() && turns(t, end, r.contrast())) continue;
        bestAt = at;
        best = new Match(r.language(), r.phrase(), t.sentenceAround(start, end, 300));
        break;
      }
    }
    return Optional.ofNullable(best);
  }

  /** True when {@code [start, end)} of the folded text lies inside a {@code not_when} phrase. */
  private boolean insideException(String f, int start, int end) {
    for (String n : notWhen) {
      int lo = Math.max(0, start - n.length());
      int at = f.indexOf(n, lo);
      while (at >= 0 && at <= start) {
        if (at + n.length() >= end) return true;
        at = f.indexOf(n, at + 1);
      }
    }
    return false;
  }

  /** True when the rest of the sentence after folded index {@code end} holds a contrast word. */
  private static boolean turns(FoldedText t, int end, List<String> contrast) {
    String o = t.original();
    int from = Math.min(t.originOf(end), o.length());
    int to = from;
    while (to < o.length() && ".!?;\n\r".indexOf(o.charAt(to)) < 0) to++;
    String rest = FoldedText.of(o.substring(from, to)).folded();
    for (String c : contrast) if (rest.contains(" " + c + " ")) return true;
    return false;
  }
}
