package dev.salesagent.compat.litellm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** LiteLLM spellings of model names, and its per-request extras. */
class LiteLlmRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void modelSpellingsResolveToOurProviderAndCurrentModel() {
    assertThat(LiteLlmModelNames.ours("anthropic/claude-sonnet-4-5-20250929")).isEqualTo("anthropic/claude-sonnet-5-5");
    assertThat(LiteLlmModelNames.ours("claude-haiku-4-5-20251001")).isEqualTo("anthropic/claude-haiku-4-5");
    assertThat(LiteLlmModelNames.ours("deepseek/deepseek-chat")).isEqualTo("deepseek/deepseek-flash");
    assertThat(LiteLlmModelNames.ours("deepseek/deepseek-reasoner")).isEqualTo("deepseek/deepseek-flash");
    assertThat(LiteLlmModelNames.ours("ollama_chat/llama3.2")).isEqualTo("ollama/llama3.2");
    assertThat(LiteLlmModelNames.ours("ollama/llama3.2:latest")).isEqualTo("ollama/llama3.2");
    assertThat(LiteLlmModelNames.ours("cerebras/llama3.1-8b")).isEqualTo("cerebras/gpt-oss-120b");
    assertThat(LiteLlmModelNames.ours("cerebras/gpt-oss-120b")).isEqualTo("cerebras/gpt-oss-120b");
    assertThat(LiteLlmModelNames.ours("groq/llama-3.3-70b-versatile")).isEqualTo("groq/llama-3.3-70b-versatile");
    // Not a model the catalog has: spelled ours, so the gateway's lookup misses and says 404 with what exists.
    assertThat(LiteLlmModelNames.ours("anthropic/claude-3-5-sonnet-20241022")).isEqualTo("anthropic/claude-3-5-sonnet");
    assertThat(LiteLlmModelNames.ours("azure/gpt-4o")).isNull();
    assertThat(LiteLlmModelNames.ours("my-model")).isNull();
    assertThat(LiteLlmModelNames.ours("")).isNull();
  }

  @Test
  void anOrdinaryBodyHasNoExtras() throws Exception {
    var body = JSON.readTree("{\"model\":\"auto\",\"messages\":[],\"stream\":true,\"max_tokens\":5,\"user\":\"u1\"}");
    assertThat(LiteLlmExtras.read(body)).isSameAs(LiteLlmExtras.NONE);
  }

  @Test
  void mockResponseIsHonouredAndTheOtherExtrasAreNamed() throws Exception {
    var body = JSON.readTree("{\"model\":\"m\",\"messages\":[],\"metadata\":{\"a\":1},\"tags\":[\"t\"],"
        + "\"fallbacks\":[\"x\"],\"num_retries\":2,\"mock_response\":\"hi\"}");
    LiteLlmExtras e = LiteLlmExtras.read(body);
    assertThat(e.mockResponse()).isEqualTo("hi");
    assertThat(e.ignored()).isEqualTo("metadata, tags, fallbacks, num_retries");
    var notText = JSON.readTree("{\"mock_response\":{\"error\":\"x\"}}");
    assertThat(LiteLlmExtras.read(notText).mockResponse()).isNull();
    assertThat(LiteLlmExtras.read(notText).ignored()).isEqualTo("mock_response");
  }
}
