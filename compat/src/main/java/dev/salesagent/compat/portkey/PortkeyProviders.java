package dev.salesagent.compat.portkey;

import dev.salesagent.compat.Vendor;
import java.util.Locale;
import java.util.Map;

/** Portkey's provider slugs ({@code provider} in a target; {@code @slug} names an integration of that provider). */
final class PortkeyProviders {
  private static final Map<String, Vendor> SLUGS = Map.ofEntries(
      Map.entry("anthropic", Vendor.ANTHROPIC),
      Map.entry("cerebras", Vendor.CEREBRAS),
      Map.entry("deepseek", Vendor.DEEPSEEK),
      Map.entry("ollama", Vendor.OLLAMA),
      Map.entry("openai", Vendor.OPENAI),
      Map.entry("groq", Vendor.GROQ),
      Map.entry("mistral-ai", Vendor.MISTRAL),
      Map.entry("together-ai", Vendor.TOGETHER),
      Map.entry("fireworks-ai", Vendor.FIREWORKS),
      Map.entry("openrouter", Vendor.OPENROUTER),
      Map.entry("x-ai", Vendor.XAI),
      Map.entry("deepinfra", Vendor.DEEPINFRA),
      Map.entry("perplexity-ai", Vendor.PERPLEXITY));

  private PortkeyProviders() {}

  static Vendor vendor(String slug) {
    String s = slug.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("@")) s = s.substring(1);
    Vendor v = SLUGS.get(s);
    if (v != null) return v;
    return guessFromName(s); // "@anthropic-prod": an integration named after its provider
  }

  /** The provider whose slug starts a virtual key's or integration's name ({@code anthropic-prod-1a2b}), if any. */
  static Vendor guessFromName(String name) {
    String s = name.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("@")) s = s.substring(1);
    Vendor best = null;
    int bestLen = 0;
    for (Map.Entry<String, Vendor> e : SLUGS.entrySet()) {
      String slug = e.getKey();
      if ((s.equals(slug) || s.startsWith(slug + "-") || s.startsWith(slug + "_")) && slug.length() > bestLen) {
        best = e.getValue();
        bestLen = slug.length();
      }
    }
    return best;
  }
}
