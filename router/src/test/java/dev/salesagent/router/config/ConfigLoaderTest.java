package dev.salesagent.router.config;

import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.provider.ProviderKind;
import dev.salesagent.router.provider.openai.OpenAiProvider;
import dev.salesagent.router.routing.Target;
import dev.salesagent.router.shared.SharedRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  @Test
  void defaultsHaveFourProvidersAndTheArchitectureChains() {
    RouterConfig c = ConfigLoader.load(null, Map.of("ANTHROPIC_API_KEY", "k1"));
    assertEquals(List.of("anthropic", "cerebras", "deepseek", "ollama"), List.copyOf(c.providers().keySet()));
    assertTrue(c.provider("anthropic").configured());
    assertFalse(c.provider("cerebras").configured());
    assertEquals("CEREBRAS_API_KEY is not set", c.provider("cerebras").unconfiguredReason());
    assertTrue(c.provider("ollama").configured(), "ollama needs no key");
    assertEquals("https://api.anthropic.com/v1/messages", c.provider("anthropic").settings().url("/messages"));
    assertEquals("https://api.cerebras.ai/v1/chat/completions", c.provider("cerebras").settings().url("/chat/completions"));
    assertEquals("https://api.deepseek.com/chat/completions", c.provider("deepseek").settings().url("/chat/completions"));
    assertEquals("http://127.0.0.1:11434/api/chat", c.provider("ollama").settings().url("/api/chat"));
    assertEquals(List.of("cerebras", "deepseek", "anthropic"),
        c.tasks().get("qualification").chain().stream().map(Target::provider).toList());
    assertEquals(List.of("anthropic", "deepseek"), c.tasks().get("content").chain().stream().map(Target::provider).toList());
    assertEquals(List.of("deepseek", "anthropic"), c.tasks().get("research").chain().stream().map(Target::provider).toList());
    assertEquals(List.of("ollama", "cerebras", "deepseek"), c.tasks().get("parsing").chain().stream().map(Target::provider).toList());
    assertEquals(2.0, c.modelSpec(new Target("anthropic", "claude-sonnet-5-5")).inputUsdPerMtok());
    assertFalse(c.modelSpec(new Target("anthropic", "claude-sonnet-5-5")).has(Capability.CONTINUATION), "Claude 5 refuses a prefill");
    assertEquals(0.35, c.modelSpec(new Target("cerebras", "gpt-oss-120b")).inputUsdPerMtok());
    assertEquals(1.20, c.modelSpec(new Target("deepseek", "deepseek-flash")).outputUsdPerMtok());
    assertTrue(c.modelSpec(new Target("deepseek", "deepseek-flash")).has(Capability.CONTINUATION));
    assertFalse(c.modelSpec(new Target("cerebras", "gpt-oss-120b")).has(Capability.CONTINUATION));
    assertEquals("task", c.defaultStrategy());
    assertEquals(60_000, c.resilience().timeouts().totalMs());
    assertEquals(2, c.resilience().maxRetries());
  }

  @Test
  void envWinsOverFileBaseUrlAndHostWithoutSchemeIsHttp() {
    String yaml = "providers:\n  anthropic:\n    base_url: http://file.example\n  ollama:\n    max_concurrency: 2\n";
    RouterConfig c = ConfigLoader.loadYaml(yaml, "t.yaml", Map.of("ANTHROPIC_BASE_URL", "http://env.example/", "OLLAMA_HOST", "10.0.0.5:11434"));
    assertEquals("http://env.example", c.provider("anthropic").settings().baseUrl());
    assertEquals("http://10.0.0.5:11434", c.provider("ollama").settings().baseUrl());
    assertEquals(2, c.provider("ollama").settings().maxConcurrency());
    assertEquals(4, c.provider("anthropic").settings().models().size(), "overriding one key keeps the rest");
    RouterConfig c2 = ConfigLoader.loadYaml(yaml, "t.yaml", Map.of());
    assertEquals("http://file.example", c2.provider("anthropic").settings().baseUrl());
  }

  @Test
  void newOpenAiCompatibleProviderAppendsChatCompletionsAndSubstitutesVars() {
    String yaml = """
        providers:
          local:
            kind: openai-compatible
            base_url: ${LOCAL_URL}
            api_key_env: LOCAL_KEY
            models:
              m1: {context_window: 8000, input_usd_per_mtok: 0.1, output_usd_per_mtok: 0.2, capabilities: [json]}
        tasks:
          summarise: {chain: [local/m1, deepseek/deepseek-flash]}
        budgets: {daily_usd: 5, policy: downgrade}
        """;
    RouterConfig c = ConfigLoader.loadYaml(yaml, "t.yaml", Map.of("LOCAL_URL", "http://127.0.0.1:9000/v1", "LOCAL_KEY", "x"));
    assertEquals("http://127.0.0.1:9000/v1/chat/completions", c.provider("local").settings().url("/chat/completions"));
    assertEquals(OpenAiProvider.KIND, c.provider("local").settings().kind());
    assertEquals(2, c.tasks().get("summarise").chain().size());
    assertEquals(RouterConfig.BudgetPolicy.DOWNGRADE, c.budgets().policy());
    assertEquals(5.0, c.budgets().dailyUsd());
  }

  @Test
  void unknownKeyNamesKeyAndLine() {
    String yaml = "resilience:\n  max_retries: 1\n  max_retires: 3\n";
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadYaml(yaml, "my.yaml", Map.of()));
    assertTrue(e.getMessage().contains("max_retires"), e.getMessage());
    assertTrue(e.getMessage().contains("my.yaml line 3"), e.getMessage());
  }

  @Test
  void validationMessagesSayWhatToFix() {
    assertMsg("tasks:\n  content: {chain: [anthropic/nope]}\n", "has no model 'nope'");
    assertMsg("providers:\n  x:\n    base_url: http://a\n    models: {m: {context_window: 1, input_usd_per_mtok: 1, output_usd_per_mtok: 1}}\n", "providers.x.kind is missing");
    assertMsg("budgets: {policy: maybe}\n", "write refuse or downgrade");
    assertMsg("shared_state: {policy: fail_maybe}\n", "shared_state.policy 'fail_maybe' is not a policy: write fail_open or fail_closed");
    assertMsg("strategy: {default: fastest}\n", "write task, cost or latency");
    assertMsg("resilience:\n  timeouts: {total_ms: -1}\n", "resilience.timeouts.total_ms must be between");
    assertMsg("providers:\n  anthropic:\n    base_url: ${NOPE}\n", "${NOPE} but that environment variable is not set");
    assertMsg("providers:\n  anthropic:\n    models:\n      claude-sonnet-5-5: {capabilities: [vision]}\n", "unknown capability 'vision'");
  }

  @Test
  void sharedStatePolicyDefaultsToFailOpen() {
    assertEquals(SharedRedis.Policy.FAIL_OPEN, ConfigLoader.loadYaml("", "t.yaml", Map.of()).sharedState().policy());
    assertEquals(SharedRedis.Policy.FAIL_CLOSED,
        ConfigLoader.loadYaml("shared_state: {policy: fail_closed}\n", "t.yaml", Map.of()).sharedState().policy());
  }

  @Test
  void jacksonBindingKeepsKeysAndLinesInMessages() {
    assertExact("resilience:\n  max_retries: 1\n  max_retries: 2\n", "c.yaml line 3: key 'max_retries' appears twice");
    assertExact("providers:\n  anthropic:\n    models:\n      claude-sonnet-4-5: {capabilty: [json]}\n",
        "c.yaml line 4: unknown key 'capabilty' in providers.anthropic.models.claude-sonnet-4-5 (allowed: cached_input_usd_per_mtok, "
            + "capabilities, context_window, input_usd_per_mtok, output_usd_per_mtok)");
    assertExact("providers:\n  x:\n    base_url: http://a\n", "c.yaml line 2: providers.x.kind is missing: write anthropic, openai-compatible or ollama");
    assertExact("resilience:\n  max_retries: [1, 2]\n", "c.yaml line 2: resilience.max_retries must be a single value");
    assertExact("providers: [a, b]\n", "c.yaml line 1: providers must be a mapping of keys");
    assertExact("tasks:\n  t: {chain: anthropic}\n", "c.yaml line 2: tasks.t.chain must be a non-empty list of <provider>/<model>");
    assertExact("just a string\n", "c.yaml line 1: the configuration must be a mapping of keys");
    // a key given without a value replaces what is below, as before
    assertExact("providers:\n  anthropic:\n    base_url:\n",
        "c.yaml line 2: providers.anthropic.base_url is missing: write the provider's root URL, e.g. http://127.0.0.1:9000/v1");
  }

  @Test
  void predefinedProvidersComeFromTheirFolders() {
    RouterConfig c = ConfigLoader.loadYaml("providers:\n  deepseek:\n    rpm: 7\n", "t.yaml", Map.of());
    assertEquals(7, c.provider("deepseek").settings().rpm());
    assertEquals("DEEPSEEK_API_KEY", c.provider("deepseek").settings().apiKeyEnv(), "the rest from provider/deepseek/defaults.yaml");
    assertEquals(32, c.provider("deepseek").settings().maxConcurrency());
    assertEquals("/v1", ConfigLoader.loadYaml("providers:\n  mine:\n    kind: anthropic\n    base_url: http://a\n"
        + "    models: {m: {context_window: 1, input_usd_per_mtok: 1, output_usd_per_mtok: 1}}\n", "t.yaml", Map.of())
        .provider("mine").settings().apiPrefix(), "the protocol's default api_prefix");
  }

  @Test
  void taskKeywordsAreOptionalLowerCasedAndSurviveAChainOverride() {
    String yaml = """
        tasks:
          content: {chain: [deepseek/deepseek-flash]}
          triage: {chain: [deepseek], keywords: [Ticket, "Sev 1", ticket]}
          quiet: {chain: [deepseek]}
        """;
    RouterConfig c = ConfigLoader.loadYaml(yaml, "t.yaml", Map.of());
    assertTrue(c.tasks().get("content").keywords().contains("outreach"), "overriding the chain keeps the default keywords");
    assertEquals(List.of("ticket", "sev 1"), c.tasks().get("triage").keywords());
    assertEquals(List.of(), c.tasks().get("quiet").keywords());
    assertEquals(List.of("qualification", "content", "research", "parsing", "embedding", "triage", "quiet"), List.copyOf(c.tasks().keySet()));
    RouterConfig cleared = ConfigLoader.loadYaml("tasks:\n  content: {keywords: []}\n", "t.yaml", Map.of());
    assertEquals(List.of(), cleared.tasks().get("content").keywords());
    assertMsg("tasks:\n  content: {keywords: outreach}\n", "tasks.content.keywords must be a list");
    assertMsg("tasks:\n  content:\n    keywords: [a, \"  \"]\n", "tasks.content.keywords has an empty phrase");
  }

  private static void assertExact(String yaml, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadYaml(yaml, "c.yaml", Map.of()));
    assertEquals(expected, e.getMessage());
  }

  private static void assertMsg(String yaml, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadYaml(yaml, "c.yaml", Map.of()));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains("line"), e.getMessage());
  }
}
