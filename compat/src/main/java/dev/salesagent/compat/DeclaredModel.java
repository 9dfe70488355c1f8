package dev.salesagent.compat;

import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.provider.ModelSpec;
import java.util.List;

/**
 * A model written under a provider's {@code models:} (our config needs its context window and prices).
 * {@code cacheWriteUsdPerMtok}: the catalog's cache-write price (Anthropic), {@code null} when none.
 */
public record DeclaredModel(String id, int contextWindow, double inputUsdPerMtok, double outputUsdPerMtok,
                            Double cachedInputUsdPerMtok, Double cacheWriteUsdPerMtok, List<String> capabilities) {
  public DeclaredModel {
    capabilities = List.copyOf(capabilities);
  }

  public DeclaredModel(String id, int contextWindow, double inputUsdPerMtok, double outputUsdPerMtok,
      Double cachedInputUsdPerMtok, List<String> capabilities) {
    this(id, contextWindow, inputUsdPerMtok, outputUsdPerMtok, cachedInputUsdPerMtok, null, capabilities);
  }

  public static DeclaredModel of(ModelSpec s) {
    List<String> caps = s.capabilities().stream().sorted().map(Capability::wire).toList();
    return new DeclaredModel(s.id(), s.contextWindow(), s.inputUsdPerMtok(), s.outputUsdPerMtok(), s.cachedInputUsdPerMtok(),
        s.cacheWriteUsdPerMtok(), caps);
  }
}
