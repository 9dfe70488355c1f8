package dev.salesagent.compat.litellm;

import static dev.salesagent.compat.Imports.ENV;
import static dev.salesagent.compat.Imports.chain;
import static dev.salesagent.compat.Imports.notesAt;
import static dev.salesagent.compat.Imports.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.salesagent.compat.ConfigImport.From;
import dev.salesagent.compat.ImportException;
import dev.salesagent.compat.ImportResult;
import dev.salesagent.compat.Imports;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.provider.ModelSpec;
import dev.salesagent.router.provider.anthropic.AnthropicProvider;
import dev.salesagent.router.provider.openai.OpenAiProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Eight LiteLLM proxy configs in the shapes of LiteLLM's documentation, each imported, loaded by the router's own
 * loader, and checked target by target.
 */
class LiteLlmImporterTest {

  private static ImportResult imported(String file) {
    return Imports.convert(From.LITELLM, "litellm/" + file);
  }

  private static RouterConfig load(ImportResult r) {
    return r.load(ENV);
  }

  @ParameterizedTest
  @ValueSource(strings = {"01-quick-start.yaml", "02-load-balancing.yaml", "03-fallbacks.yaml", "04-router-settings.yaml",
      "05-openai-compatible.yaml", "06-retired-and-dated.yaml", "07-unsupported.yaml", "08-budget-timeouts-env.yaml"})
  void everyConfigLoadsAndListsItsNotesAtTheTop(String file) {
    ImportResult r = imported(file);
    RouterConfig c = load(r);
    assertThat(c.tasks().keySet()).containsAll(r.tasks());
    String top = r.yaml().substring(0, r.yaml().indexOf("\nproviders:"));
    assertThat(top.lines()).allMatch(l -> l.isEmpty() || l.startsWith("#"));
    for (var n : r.notes()) assertThat(top).contains(n.where());
    assertThat(r.yaml()).as("no key copied from the file").doesNotContain("sk-1234").doesNotContain("written-in-the-file");
  }

  @Test
  void quickStartMapsEachModelNameToItsProviderAndCurrentModel() {
    ImportResult r = imported("01-quick-start.yaml");
    RouterConfig c = load(r);
    assertThat(chain(c, "claude-sonnet")).containsExactly("anthropic/claude-sonnet-5-5");
    assertThat(chain(c, "deepseek-chat")).containsExactly("deepseek/deepseek-flash");
    assertThat(chain(c, "llama3.2")).containsExactly("ollama/llama3.2");
    assertThat(chain(c, "cerebras-fast")).containsExactly("cerebras/gpt-oss-120b");
    assertThat(provider(c, "ollama").settings().baseUrl()).isEqualTo("http://localhost:11434");
    assertThat(provider(c, "anthropic").settings().apiKeyEnv()).isEqualTo("ANTHROPIC_API_KEY");
    assertThat(provider(c, "anthropic").configured()).isTrue();
    assertThat(notesAt(r, "model_list[1]")).singleElement().asString().contains("retired").contains("deepseek-flash");
    assertThat(notesAt(r, "general_settings.master_key")).singleElement().asString()
        .contains("SALES_AGENT_ADMIN_KEY=\"$LITELLM_MASTER_KEY\"");
  }

  @Test
  void severalDeploymentsOfOneModelNameBecomeOneTaskServedBySeveralTargets() {
    ImportResult r = imported("02-load-balancing.yaml");
    RouterConfig c = load(r);
    // order: 1 comes first; the second Anthropic account is its own provider with its own key and limits.
    assertThat(chain(c, "claude")).containsExactly("anthropic-2/claude-sonnet-5-5", "anthropic/claude-sonnet-5-5");
    RouterConfig.ProviderConfig a = provider(c, "anthropic");
    assertThat(a.settings().rpm()).isEqualTo(500);
    assertThat(a.settings().tpm()).isEqualTo(400_000);
    RouterConfig.ProviderConfig b = provider(c, "anthropic-2");
    assertThat(b.settings().kind()).isEqualTo(AnthropicProvider.KIND);
    assertThat(b.settings().apiKeyEnv()).isEqualTo("ANTHROPIC_API_KEY_TEAM_B");
    assertThat(b.settings().rpm()).isEqualTo(100);
    assertThat(b.settings().baseUrl()).isEqualTo("https://api.anthropic.com");
    assertThat(b.settings().apiPrefix()).isEqualTo("/v1");
    assertThat(b.settings().model("claude-sonnet-5-5")).isEqualTo(a.settings().model("claude-sonnet-5-5"));
    // weights: highest first.
    assertThat(chain(c, "cheap")).containsExactly("deepseek/deepseek-v4-pro", "deepseek/deepseek-flash");
    assertThat(notesAt(r, "router_settings.routing_strategy")).singleElement().asString().contains("tried in order");
    assertThat(notesAt(r, "router_settings.redis_host")).hasSize(1);
    assertThat(notesAt(r, "router_settings.redis_port")).hasSize(1);
  }

  @Test
  void secondProviderCopyFollowsTheSameBaseUrlVariable() {
    Map<String, String> env = new HashMap<>(ENV);
    env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:9/anthropic");
    RouterConfig c = imported("02-load-balancing.yaml").load(env);
    assertThat(provider(c, "anthropic-2").settings().baseUrl()).isEqualTo("http://127.0.0.1:9/anthropic");
  }

  @Test
  void fallbacksOfEachKind() {
    ImportResult r = imported("03-fallbacks.yaml");
    RouterConfig c = load(r);
    assertThat(chain(c, "writer")).containsExactly("anthropic/claude-sonnet-5-5", "deepseek/deepseek-flash");
    // general fallbacks in their order, then the context-window fallback (larger context: deepseek-v4-pro).
    assertThat(chain(c, "fast")).containsExactly("cerebras/gpt-oss-120b", "deepseek/deepseek-flash",
        "anthropic/claude-sonnet-5-5", "deepseek/deepseek-v4-pro");
    assertThat(chain(c, "researcher")).containsExactly("deepseek/deepseek-flash");
    assertThat(chain(c, "local")).containsExactly("ollama/llama3.2");
    assertThat(c.resilience().maxRetries()).isEqualTo(3);
    assertThat(c.resilience().timeouts().totalMs()).isEqualTo(45_000);
    assertThat(notesAt(r, "litellm_settings.content_policy_fallbacks")).singleElement().asString()
        .contains("content_filtered");
    assertThat(notesAt(r, "litellm_settings.fallbacks")).singleElement().asString().contains("nosuch");
    assertThat(notesAt(r, "context_window_fallbacks")).singleElement().asString().contains("larger-context");
  }

  @Test
  void routerSettingsMapToResilienceAndAliasesToTasks() {
    ImportResult r = imported("04-router-settings.yaml");
    RouterConfig c = load(r);
    assertThat(chain(c, "primary")).containsExactly("anthropic/claude-haiku-4-5", "deepseek/deepseek-flash", "ollama/llama3.2");
    assertThat(chain(c, "backup")).containsExactly("deepseek/deepseek-flash", "ollama/llama3.2");
    assertThat(chain(c, "local")).containsExactly("ollama/llama3.2");
    assertThat(chain(c, "gpt-4o")).isEqualTo(chain(c, "primary"));
    assertThat(chain(c, "claude-3-haiku")).isEqualTo(chain(c, "primary"));
    RouterConfig.Resilience res = c.resilience();
    assertThat(res.maxRetries()).isEqualTo(2);
    assertThat(res.timeouts().totalMs()).isEqualTo(30_000);
    assertThat(res.timeouts().firstTokenMs()).isEqualTo(5_000);
    assertThat(res.circuitBreaker().minimumCalls()).isEqualTo(3);
    assertThat(res.circuitBreaker().openMs()).isEqualTo(60_000);
    assertThat(c.defaultStrategy()).isEqualTo("task");
    assertThat(notesAt(r, "router_settings.routing_strategy")).singleElement().asString().contains("latency");
    assertThat(notesAt(r, "router_settings.allowed_fails")).hasSize(1);
  }

  @Test
  void openAiCompatibleDeploymentsBecomeProvidersWithTheirRootsPricesAndKeys() {
    ImportResult r = imported("05-openai-compatible.yaml");
    RouterConfig c = load(r);
    assertThat(chain(c, "qwen-local")).containsExactly("gpu-box/Qwen/Qwen2.5-7B-Instruct");
    RouterConfig.ProviderConfig vllm = provider(c, "gpu-box");
    assertThat(vllm.settings().kind()).isEqualTo(OpenAiProvider.KIND);
    assertThat(vllm.settings().baseUrl()).isEqualTo("http://gpu-box:8000/v1");
    assertThat(vllm.settings().apiPrefix()).isEmpty();
    assertThat(vllm.settings().apiKeyEnv()).isNull();
    ModelSpec qwen = vllm.settings().model("Qwen/Qwen2.5-7B-Instruct");
    assertThat(qwen.contextWindow()).isEqualTo(32_768);
    assertThat(qwen.has(Capability.TOOLS)).isFalse();

    assertThat(chain(c, "llama-groq")).containsExactly("groq/llama-3.3-70b-versatile");
    RouterConfig.ProviderConfig groq = provider(c, "groq");
    assertThat(groq.settings().baseUrl()).isEqualTo("https://api.groq.com/openai/v1");
    assertThat(groq.settings().rpm()).isEqualTo(30);
    ModelSpec llama = groq.settings().model("llama-3.3-70b-versatile");
    assertThat(llama.inputUsdPerMtok()).isEqualTo(0.59);
    assertThat(llama.outputUsdPerMtok()).isEqualTo(0.79);
    assertThat(llama.contextWindow()).isEqualTo(131_072);

    assertThat(chain(c, "awan-llama3-8b")).containsExactly("awanllm/Meta-Llama-3-8B-Instruct");
    assertThat(provider(c, "awanllm").settings().apiKeyEnv()).isEqualTo("AWANLLM_API_KEY");
    assertThat(notesAt(r, "model_list[2] (awan-llama3-8b).litellm_params.api_key")).singleElement().asString()
        .contains("export AWANLLM_API_KEY=");
    assertThat(r.yaml()).doesNotContain("sk-awan");

    assertThat(chain(c, "gpt-4o")).containsExactly("openai/gpt-4o");
    assertThat(provider(c, "openai").settings().baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(notesAt(r, "model_list[3] (gpt-4o).litellm_params")).singleElement().asString()
        .contains("temperature, max_tokens");
    assertThat(notesAt(r, "model_list[3] (gpt-4o)")).anyMatch(n -> n.contains("prices 0"));
  }

  @Test
  void retiredAndDatedModelNamesLandOnTheCurrentCatalog() {
    ImportResult r = imported("06-retired-and-dated.yaml");
    RouterConfig c = load(r);
    assertThat(chain(c, "sonnet")).containsExactly("anthropic/claude-sonnet-5-5");
    assertThat(chain(c, "old-sonnet")).containsExactly("anthropic/claude-sonnet-5-5");
    assertThat(notesAt(r, "model_list[1]")).singleElement().asString().contains("not in our catalog");
    assertThat(chain(c, "reasoner")).containsExactly("deepseek/deepseek-flash");
    assertThat(chain(c, "cerebras-llama")).containsExactly("cerebras/gpt-oss-120b");
    assertThat(chain(c, "local")).containsExactly("ollama/llama3.2");
    assertThat(chain(c, "local-qwen")).containsExactly("ollama/qwen2.5:7b");
    assertThat(provider(c, "ollama").settings().model("qwen2.5:7b").inputUsdPerMtok()).isZero();
    // Described by model_info: kept as the user had it, at the user's prices.
    assertThat(chain(c, "opus-4-1")).containsExactly("anthropic/claude-opus-4-1");
    ModelSpec opus = provider(c, "anthropic").settings().model("claude-opus-4-1");
    assertThat(opus.inputUsdPerMtok()).isEqualTo(15.0);
    assertThat(opus.outputUsdPerMtok()).isEqualTo(75.0);
    assertThat(opus.has(Capability.TOOLS)).isTrue();
    // The catalog itself is untouched.
    assertThat(provider(c, "anthropic").modelOrder()).startsWith("claude-sonnet-5-5", "claude-haiku-5-5");
  }

  @Test
  void unsupportedProvidersAndSettingsAreNotesNeverSilentDrops() {
    ImportResult r = imported("07-unsupported.yaml");
    RouterConfig c = load(r);
    assertThat(chain(c, "gpt-4o")).containsExactly("anthropic/claude-sonnet-5-5");
    assertThat(c.tasks()).doesNotContainKeys("bedrock-claude", "gemini", "embed", "mystery");
    assertThat(notesAt(r, "model_list[0] (gpt-4o)")).anyMatch(n -> n.contains("'azure'"));
    assertThat(notesAt(r, "model_list[2] (bedrock-claude)")).anyMatch(n -> n.contains("'bedrock'"));
    assertThat(notesAt(r, "model_list[3] (gemini)")).anyMatch(n -> n.contains("'vertex_ai'"));
    assertThat(notesAt(r, "model_list[4] (embed)")).anyMatch(n -> n.contains("embedding"));
    assertThat(notesAt(r, "model_list[5] (mystery)")).anyMatch(n -> n.contains("acme/secret-model"));
    for (String k : List.of("litellm_settings.success_callback", "litellm_settings.failure_callback", "litellm_settings.cache",
        "litellm_settings.cache_params", "litellm_settings.set_verbose", "general_settings.database_url",
        "general_settings.alerting", "general_settings.master_key", "environment_variables", "include")) {
      assertThat(notesAt(r, k)).as(k).isNotEmpty();
    }
    assertThat(notesAt(r, "environment_variables")).singleElement().asString()
        .contains("LANGFUSE_PUBLIC_KEY").doesNotContain("pk-123");
    assertThat(r.yaml()).doesNotContain("sk-1234").doesNotContain("pk-123").doesNotContain("litellm:pw");
  }

  @Test
  void budgetsTimeoutsNegotiatedPricesAndBaseUrlsFromTheEnvironment() {
    ImportResult r = imported("08-budget-timeouts-env.yaml");
    Map<String, String> env = new HashMap<>(ENV);
    env.put("COMPANY_LLM_BASE", "https://llm.example.com/v1");
    RouterConfig c = r.load(env);
    assertThat(c.budgets().monthlyUsd()).isEqualTo(250.0);
    RouterConfig.ProviderConfig a = provider(c, "anthropic");
    assertThat(a.settings().maxConcurrency()).isEqualTo(16);
    assertThat(a.settings().timeouts().totalMs()).isEqualTo(120_000);
    assertThat(a.settings().timeouts().firstTokenMs()).isEqualTo(8_000);
    assertThat(a.settings().model("claude-sonnet-5-5").inputUsdPerMtok()).isEqualTo(2.7);
    assertThat(a.settings().model("claude-sonnet-5-5").outputUsdPerMtok()).isEqualTo(13.5);
    assertThat(chain(c, "company-proxy")).containsExactly("company-llm/llama-3.1-70b");
    RouterConfig.ProviderConfig p = provider(c, "company-llm");
    assertThat(p.settings().baseUrl()).isEqualTo("https://llm.example.com/v1");
    assertThat(p.settings().apiKeyEnv()).isEqualTo("COMPANY_LLM_KEY");
    assertThat(p.settings().model("llama-3.1-70b").has(Capability.JSON)).isTrue();
    assertThat(r.baseUrlVars()).containsExactly("COMPANY_LLM_BASE");
    // Without the variable the shape still loads (a stand-in root) and the note says to set it.
    assertThat(provider(r.load(ENV), "company-llm").settings().baseUrl()).isEqualTo("http://unset.invalid");
    assertThat(notesAt(r, "model_list[1] (company-proxy).api_base")).singleElement().asString().contains("COMPANY_LLM_BASE");
    assertThat(chain(c, "auto-litellm")).containsExactly("deepseek/deepseek-flash");
  }

  @Test
  void filesThatCannotBeImportedSayWhy() {
    assertThatThrownBy(() -> LiteLlmImporter.importYaml("model_list: [", "bad.yaml"))
        .isInstanceOf(ImportException.class).hasMessageContaining("bad.yaml is not valid YAML or JSON");
    assertThatThrownBy(() -> LiteLlmImporter.importYaml("router_settings: {}", "empty.yaml"))
        .isInstanceOf(ImportException.class).hasMessageContaining("no model_list");
    assertThatThrownBy(() -> LiteLlmImporter.importYaml("model_list:\n  - model_name: x\n    litellm_params: {model: azure/x}\n", "az.yaml"))
        .isInstanceOf(ImportException.class).hasMessageContaining("no deployment").hasMessageContaining("azure");
  }
}
