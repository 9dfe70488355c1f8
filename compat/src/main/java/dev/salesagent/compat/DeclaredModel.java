package dev.salesagent.compat;

import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.provider.ModelSpec;
import java.util.List;

/** A model written under a provider's {@code models:} (our config needs its context window and prices). */
public record DeclaredModel(String id, int contextWindow, double inputUsdPerMtok, double outputUsdPerMtok,
                            Double cachedInputUsdPerMtok, List<String> capabilities) {
  public DeclaredModel {
    capabilities = List.copyOf(capabilities);
  }

  public static DeclaredModel of(ModelSpec s) {
    List<String> caps = s.capabilities().stream().sorted().map(Capability::wire).toList();
    return new DeclaredModel(s.id(), s.contextWindow(), s.inputUsdPerMtok(), s.outputUsdPerMtok(), s.cachedInputUsdPerMtok(), caps);
  }
}
