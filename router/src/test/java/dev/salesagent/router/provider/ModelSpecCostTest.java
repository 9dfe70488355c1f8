package dev.salesagent.router.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Prompt tokens are priced by where they came from: plain input, read from the cache, written to it. */
class ModelSpecCostTest {
  // claude-haiku-4-5's list prices: input 1, cache read 0.10, cache write (5 minutes) 1.25, output 5 USD per Mtok
  static final ModelSpec HAIKU = new ModelSpec("claude-haiku-4-5", 200_000, 1, 5, 0.10, 1.25, Set.of(Capability.TOOLS));

  @Test
  void cacheReadsAndWritesArePricedApart() {
    // 10,000 prompt tokens: 6,000 read from the cache, 3,000 written to it, 1,000 plain; 500 output
    double usd = HAIKU.costUsd(10_000, 6_000, 3_000, 500);
    assertThat(usd).isCloseTo((1_000 * 1 + 6_000 * 0.10 + 3_000 * 1.25 + 500 * 5) / 1e6, within(1e-15));
  }

  @Test
  void withoutCachePricesEveryPromptTokenIsInput() {
    ModelSpec plain = new ModelSpec("m", 1000, 2, 4, null, Set.of());
    assertThat(plain.costUsd(1_000, 400, 100, 10)).isCloseTo((1_000 * 2 + 10 * 4) / 1e6, within(1e-15));
    assertThat(plain.costUsd(1_000, 0, 10)).isCloseTo((1_000 * 2 + 10 * 4) / 1e6, within(1e-15));
  }
}
