package dev.salesagent.router;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tokenizer's vocabulary is loaded at start only by a configuration whose plans depend on exact counts. */
class RouterRuntimeTokensTest {
  private static RouterConfig config(String strategy) {
    String yaml = "providers:\n  p:\n    kind: openai-compatible\n    base_url: http://127.0.0.1:9/v1\n"
        + "    models:\n      m: {context_window: 128000, input_usd_per_mtok: 0.1, output_usd_per_mtok: 0.1}\n"
        + (strategy == null ? "" : "strategy:\n  default: " + strategy + "\n");
    return ConfigLoader.loadLayers(List.of(yaml), "tokens.yaml", Map.of());
  }

  @Test
  void onlyTheCostStrategyWantsTheVocabulary() {
    assertTrue(RouterRuntime.wantsExactCounts(config("cost")));
    assertFalse(RouterRuntime.wantsExactCounts(config("task")));
    assertFalse(RouterRuntime.wantsExactCounts(config("latency")));
    assertFalse(RouterRuntime.wantsExactCounts(config(null)), "the default strategy is task");
  }
}
