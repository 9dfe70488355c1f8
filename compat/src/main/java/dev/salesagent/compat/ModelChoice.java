package dev.salesagent.compat;

import dev.salesagent.router.provider.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Which model id an imported deployment gets, and whether it must be declared: the catalog's own model, the successor
 * of a retired one, or a model the source describes itself. Every substitution or assumption becomes a note.
 *
 * @param declared {@code null} = a catalog model, nothing to write
 */
public record ModelChoice(String model, DeclaredModel declared) {
  /** Context window assumed for a model nobody described; always noted. */
  public static final int ASSUMED_CONTEXT = 128_000;

  /**
   * What the source says about a model (LiteLLM's {@code model_info}); each field {@code null} when not given.
   *
   * @param tools {@code null} = not said
   * @param json  {@code null} = not said
   */
  public record Facts(Integer contextWindow, Double inputUsdPerMtok, Double outputUsdPerMtok, Double cachedUsdPerMtok,
                      Boolean tools, Boolean json) {
    public static final Facts NONE = new Facts(null, null, null, null, null, null);

    boolean complete() {
      return contextWindow != null && inputUsdPerMtok != null && outputUsdPerMtok != null;
    }

    boolean any() {
      return contextWindow != null || inputUsdPerMtok != null || outputUsdPerMtok != null || cachedUsdPerMtok != null;
    }
  }

  public static ModelChoice choose(DraftConfig d, String where, Vendor v, String provider, String model, Facts f) {
    Catalog c = d.catalog();
    String current = c.current(v, model);
    if (current != null) {
      if (c.retired(v, model)) {
        d.note(where, v.providerName() + "/" + model + " was retired by " + v.providerName() + "; mapped to its successor "
            + v.providerName() + "/" + current + " (current catalog)");
      }
      if (!f.any()) return new ModelChoice(current, null);
      // The source's own prices or window (a negotiated rate, say) win over the list price.
      ModelSpec s = c.spec(v, current);
      return new ModelChoice(current, new DeclaredModel(current,
          f.contextWindow() != null ? f.contextWindow() : s.contextWindow(),
          f.inputUsdPerMtok() != null ? f.inputUsdPerMtok() : s.inputUsdPerMtok(),
          f.outputUsdPerMtok() != null ? f.outputUsdPerMtok() : s.outputUsdPerMtok(),
          f.cachedUsdPerMtok() != null ? f.cachedUsdPerMtok() : s.cachedInputUsdPerMtok(),
          s.cacheWriteUsdPerMtok(), DeclaredModel.of(s).capabilities()));
    }
    String id = Catalog.normalise(v, model);
    if (v.predefined() && v != Vendor.OLLAMA && !f.complete()) {
      String closest = c.closest(v, model);
      d.note(where, v.providerName() + "/" + model + " is not in our catalog and its context window and prices were not given;"
          + " mapped to " + provider + "/" + closest + ". To keep " + model + ", add it under providers."
          + provider + ".models with context_window, input_usd_per_mtok and output_usd_per_mtok");
      return new ModelChoice(closest, null);
    }
    List<String> caps = new ArrayList<>();
    boolean assumedCaps = f.json() == null || f.tools() == null;
    if (!Boolean.FALSE.equals(f.json())) caps.add("json");
    if (!Boolean.FALSE.equals(f.tools())) caps.add("tools");
    if (v == Vendor.OLLAMA) caps.add("continuation"); // Ollama's chat template continues a trailing assistant turn
    int ctx = f.contextWindow() != null ? f.contextWindow() : ASSUMED_CONTEXT;
    double in = f.inputUsdPerMtok() != null ? f.inputUsdPerMtok() : 0;
    double out = f.outputUsdPerMtok() != null ? f.outputUsdPerMtok() : 0;
    List<String> assumed = new ArrayList<>();
    if (f.contextWindow() == null) assumed.add("context_window " + ASSUMED_CONTEXT);
    if (v != Vendor.OLLAMA && (f.inputUsdPerMtok() == null || f.outputUsdPerMtok() == null)) {
      assumed.add("prices 0 (budgets count it as free)");
    }
    if (assumedCaps && v != Vendor.OLLAMA) assumed.add("capabilities json, tools");
    if (!assumed.isEmpty()) {
      d.note(where, provider + "/" + id + ": not described by the source, so assumed " + String.join(", ", assumed)
          + "; set the real values under its models entry");
    }
    return new ModelChoice(id, new DeclaredModel(id, ctx, in, out, f.cachedUsdPerMtok(), caps));
  }
}
