package dev.salesagent.compat.portkey;

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
import dev.salesagent.router.provider.openai.OpenAiProvider;
import org.junit.jupiter.api.Test;

/** Four Portkey gateway configs in the shapes of Portkey's documentation, imported, loaded, checked target by target. */
class PortkeyImporterTest {

  private static ImportResult imported(String file) {
    return Imports.convert(From.PORTKEY, "portkey/" + file);
  }

  @Test
  void fallbackModeBecomesTheTaskChainInOrder() {
    ImportResult r = imported("01-fallback.json");
    RouterConfig c = r.load(ENV);
    assertThat(r.tasks()).containsExactly("01-fallback");
    assertThat(chain(c, "01-fallback")).containsExactly("anthropic/claude-sonnet-5-5", "deepseek/deepseek-flash");
    assertThat(notesAt(r, "config.strategy.on_status_codes")).singleElement().asString().contains("[429,500,502,503]");
    assertThat(notesAt(r, "config.targets[1]")).anyMatch(n -> n.contains("retired"))
        .anyMatch(n -> n.contains("max_tokens") || n.contains("DEEPSEEK_API_KEY"));
    assertThat(notesAt(r, "config.targets[1].override_params.max_tokens")).hasSize(1);
    assertThat(r.yaml()).doesNotContain("written-in-config");
  }

  @Test
  void loadbalanceBecomesAChainByWeightAndVirtualKeysBecomeVariables() {
    ImportResult r = imported("02-loadbalance.json");
    RouterConfig c = r.load(ENV);
    assertThat(chain(c, "02-loadbalance")).containsExactly("cerebras/gpt-oss-120b", "groq/llama-3.3-70b-versatile",
        "openai/gpt-4o-mini");
    assertThat(provider(c, "groq").settings().kind()).isEqualTo(OpenAiProvider.KIND);
    assertThat(provider(c, "groq").settings().apiKeyEnv()).isEqualTo("GROQ_API_KEY");
    assertThat(notesAt(r, "config.strategy")).singleElement().asString().contains("not split by weight");
    assertThat(notesAt(r, "config.targets[0].virtual_key")).singleElement().asString().contains("groq");
    assertThat(notesAt(r, "config.targets[1]")).anyMatch(n -> n.contains("vk-cerebras-prod") && n.contains("CEREBRAS_API_KEY"));
    assertThat(notesAt(r, "config.targets[2].provider")).singleElement().asString().contains("@openai-prod");
    assertThat(notesAt(r, "config.targets[3]")).singleElement().asString().contains("add provider");
  }

  @Test
  void nestedStrategiesFlattenAndRetryTimeoutCacheMap() {
    ImportResult r = imported("03-nested.json");
    RouterConfig c = r.load(ENV);
    assertThat(chain(c, "03-nested")).containsExactly("anthropic/claude-haiku-4-5", "anthropic-2/claude-haiku-4-5",
        "deepseek/deepseek-v4-pro");
    assertThat(provider(c, "anthropic-2").settings().apiKeyEnv()).isEqualTo("ANTHROPIC_API_KEY_2");
    assertThat(provider(c, "deepseek").settings().timeouts().totalMs()).isEqualTo(60_000);
    assertThat(c.resilience().maxRetries()).isEqualTo(5);
    assertThat(c.resilience().timeouts().totalMs()).isEqualTo(20_000);
    assertThat(notesAt(r, "config.cache")).singleElement().asString().contains("no response cache");
    assertThat(notesAt(r, "config.retry.on_status_codes")).hasSize(1);
    assertThat(notesAt(r, "config.input_guardrails")).hasSize(1);
    assertThat(notesAt(r, "config.targets[2]")).anyMatch(n -> n.contains("azure-openai"));
    assertThat(r.yaml()).doesNotContain("sk-ant-a").doesNotContain("sk-ant-b");
  }

  @Test
  void selfHostedTargetsConditionalModeAndHooks() {
    ImportResult r = imported("04-self-hosted.yaml");
    RouterConfig c = r.load(ENV);
    assertThat(chain(c, "04-self-hosted")).containsExactly("vllm/Qwen/Qwen2.5-72B-Instruct", "ollama/llama3.2",
        "deepseek/deepseek-flash");
    assertThat(provider(c, "vllm").settings().baseUrl()).isEqualTo("http://vllm.internal:8000/v1");
    assertThat(provider(c, "ollama").settings().baseUrl()).isEqualTo("http://gpu-box:11434");
    assertThat(notesAt(r, "config.strategy")).singleElement().asString().contains("conditional");
    assertThat(notesAt(r, "config.targets[2]")).singleElement().asString().contains("pinned to deepseek/deepseek-flash");
    assertThat(notesAt(r, "config.before_request_hooks")).hasSize(1);
    assertThat(notesAt(r, "config.forward_headers")).hasSize(1);
  }

  @Test
  void notAPortkeyConfig() {
    assertThatThrownBy(() -> PortkeyImporter.importConfig("{\"foo\": 1}", "x.json", "x"))
        .isInstanceOf(ImportException.class).hasMessageContaining("not a Portkey config");
  }
}
