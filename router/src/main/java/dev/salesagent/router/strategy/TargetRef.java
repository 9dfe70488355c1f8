package dev.salesagent.router.strategy;

import dev.salesagent.router.config.RouterConfig.ProviderConfig;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.provider.ModelSpec;
import dev.salesagent.router.routing.Target;

/**
 * A configured target, indexed once at start so planning works on arrays and never looks anything up by name.
 *
 * @param index         position among all targets (state arrays are indexed by it)
 * @param providerIndex position of the provider among all providers
 */
public record TargetRef(int index, int providerIndex, Target target, ModelSpec spec, ProviderConfig provider) {

  public String providerName() {
    return target.provider();
  }

  public String model() {
    return target.model();
  }

  public boolean has(Capability c) {
    return spec.has(c);
  }

  /** Estimated cost in USD of a call with these token counts at list prices. */
  public double estimateUsd(int inputTokens, int outputTokens) {
    return (inputTokens * spec.inputUsdPerMtok() + outputTokens * spec.outputUsdPerMtok()) / 1_000_000d;
  }

  @Override
  public String toString() {
    return target.toString();
  }
}
