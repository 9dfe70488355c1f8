package dev.salesagent.compat.litellm;

import dev.salesagent.compat.Catalog;
import dev.salesagent.compat.Vendor;

/**
 * A model name as a LiteLLM client spells it, as our {@code <provider>/<model>}: {@code anthropic/claude-sonnet-4-5-20250929}
 * → {@code anthropic/claude-sonnet-5-5} (retired 2026-11-30, its successor), {@code deepseek/deepseek-chat} (retired upstream) → {@code deepseek/deepseek-flash},
 * {@code ollama_chat/llama3.2} → {@code ollama/llama3.2}, {@code groq/llama-3.3-70b-versatile} → the {@code groq} provider
 * an import creates. Pure string work; the gateway calls it only for a name its catalog did not know, so ordinary
 * requests never pay for it.
 */
public final class LiteLlmModelNames {
  private LiteLlmModelNames() {}

  /** Loads the catalog now (a gateway calls this at start), so the first unknown name costs no YAML parse on a request. */
  public static void warmUp() {
    Catalog.current();
  }

  /** Our {@code provider/model} for a LiteLLM spelling, or {@code null} when it is not one. */
  public static String ours(String litellmName) {
    if (litellmName == null || litellmName.isBlank() || litellmName.length() > 256) return null;
    LiteLlmProviders.Spelled s = LiteLlmProviders.split(litellmName);
    Vendor v = s.vendor();
    if (v == null || v == Vendor.OPENAI_COMPATIBLE || s.model().isEmpty()) return null;
    if (v.predefined()) {
      String current = Catalog.current().current(v, s.model());
      return v.providerName() + "/" + (current != null ? current : Catalog.normalise(v, s.model()));
    }
    return v.providerName() + "/" + s.model();
  }
}
