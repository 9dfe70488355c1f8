package dev.salesagent.router.routing;

import dev.salesagent.router.provider.Capability;
import java.util.Set;

/**
 * What a suitable target must offer.
 *
 * @param minContextTokens {@code null} = derived from the estimated prompt and max tokens
 * @param maxCostUsd       {@code null} = no per-request cap
 */
public record RouteHints(Set<Capability> requiredCapabilities, Integer minContextTokens, Double maxCostUsd) {
  public static final RouteHints NONE = new RouteHints(Set.of(), null, null);

  public RouteHints {
    requiredCapabilities = requiredCapabilities == null ? Set.of() : Set.copyOf(requiredCapabilities);
  }
}
