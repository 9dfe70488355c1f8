package dev.salesagent.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.compat.ConfigImport;
import dev.salesagent.compat.ImportResult;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client written for LiteLLM, pointed at the gateway serving an imported LiteLLM config (loopback, emulators): the
 * same model names reach the same provider and model, LiteLLM's extras never cause a 400, and its key header works.
 */
class LiteLlmCompatTest {
  static final String K = GatewayHarness.ADMIN_KEY;
  /** A LiteLLM proxy config as its users write it: keys from the environment, a group with two deployments. */
  static final String LITELLM = """
      model_list:
        - model_name: claude
          litellm_params:
            model: anthropic/claude-sonnet-4-5-20250929
            api_key: os.environ/ANTHROPIC_API_KEY
            rpm: 600
        - model_name: claude
          litellm_params:
            model: anthropic/claude-haiku-4-5
            api_key: os.environ/ANTHROPIC_API_KEY
            rpm: 60
        - model_name: cheap
          litellm_params:
            model: deepseek/deepseek-chat
            api_key: os.environ/DEEPSEEK_API_KEY
        - model_name: local
          litellm_params:
            model: ollama_chat/llama3.2
        - model_name: fast
          litellm_params:
            model: cerebras/llama3.1-8b
            api_key: os.environ/CEREBRAS_API_KEY
      litellm_settings:
        fallbacks: [{"fast": ["cheap"]}]
      """;
  static GatewayHarness h;
  static ImportResult imported;

  @BeforeAll
  static void up() {
    imported = ConfigImport.convert(ConfigImport.From.LITELLM, LITELLM, "config.yaml");
    h = new GatewayHarness(imported.yaml(), GatewayOptions.defaults().withPort(0).withEventLoops(2));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static String body(String model, String extra) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":20," + extra
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  /**
   * Round trip: the model name a LiteLLM client sends (a model_name of its config, or a LiteLLM model string) reaches
   * the provider and model LiteLLM would have called, in the current catalog.
   */
  @ParameterizedTest
  @CsvSource({
      "claude,                               anthropic, anthropic, claude-sonnet-5-5",
      "task:claude,                          anthropic, anthropic, claude-sonnet-5-5",
      "anthropic/claude-sonnet-4-5-20250929, anthropic, anthropic, claude-sonnet-5-5",
      "claude-sonnet-4-5-20250929,           anthropic, anthropic, claude-sonnet-5-5",
      "cheap,                                deepseek,  openai,    deepseek-flash",
      "deepseek/deepseek-chat,               deepseek,  openai,    deepseek-flash",
      "local,                                ollama,    ollama,    llama3.2",
      "ollama_chat/llama3.2,                 ollama,    ollama,    llama3.2",
      "fast,                                 cerebras,  openai,    gpt-oss-120b",
      "cerebras/llama3.1-8b,                 cerebras,  openai,    gpt-oss-120b"})
  void theLiteLlmModelNameReachesTheSameProviderAndModel(String model, String provider, String protocol, String upstream) {
    long before = h.emulator.stats().requests(protocol, upstream);
    HttpResponse<String> r = h.post("/v1/chat/completions", K, body(model, ""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-sales-agent-provider")).hasValue(provider);
    assertThat(r.headers().firstValue("x-sales-agent-attempt-list")).hasValueSatisfying(
        a -> assertThat(a).startsWith(provider + "/" + upstream + "=ok"));
    assertThat(h.emulator.stats().requests(protocol, upstream)).isEqualTo(before + 1);
    assertThat(r.headers().firstValue("x-sales-agent-ignored-params")).isEmpty();
  }

  @Test
  void aGroupWithSeveralDeploymentsFallsOverToItsSecondOne() {
    h.emulator.faults().nextForModel("claude-sonnet-5-5", Fault.OVERLOADED, 3); // every retry of the first deployment
    try {
      HttpResponse<String> r = h.post("/v1/chat/completions", K, body("claude", ""));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-sales-agent-attempt-list").orElseThrow())
          .contains("anthropic/claude-sonnet-5-5=overloaded").endsWith("anthropic-2/claude-haiku-4-5=ok");
    } finally {
      h.emulator.faults().clear();
    }
  }

  @Test
  void liteLlmExtrasAreNeverA400AndTheIgnoredOnesAreNamed() {
    HttpResponse<String> r = h.post("/v1/chat/completions", K, body("claude",
        "\"metadata\":{\"trace_id\":\"t-1\",\"generation_name\":\"g\"},\"tags\":[\"team-a\"],\"fallbacks\":[\"cheap\"],"
            + "\"num_retries\":1,\"user\":\"u-7\","));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-sales-agent-ignored-params")).hasValue("metadata, tags, fallbacks, num_retries");
    assertThat(r.headers().firstValue("x-sales-agent-provider")).hasValue("anthropic");

    HttpResponse<String> s = h.post("/v1/chat/completions", K, body("cheap",
        "\"stream\":true,\"caching\":true,\"ttl\":60,\"guardrails\":[\"pii\"],\"litellm_metadata\":{\"a\":1},"));
    assertThat(s.statusCode()).as(s.body()).isEqualTo(200);
    assertThat(s.headers().firstValue("x-sales-agent-ignored-params")).hasValue("caching, ttl, guardrails, litellm_metadata");
    assertThat(s.body()).contains("data: [DONE]");
  }

  @Test
  void mockResponseAnswersWithoutCallingAnyProvider() {
    long before = h.emulator.stats().total("*");
    HttpResponse<String> r = h.post("/v1/chat/completions", K, body("claude", "\"mock_response\":\"It's simple to use!\",\"tags\":[\"x\"],"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = WireJson.parse(r.body());
    assertThat(j.at("/choices/0/message/content").asText()).isEqualTo("It's simple to use!");
    assertThat(j.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(j.get("model").asText()).isEqualTo("claude");
    assertThat(r.headers().firstValue("x-sales-agent-provider")).hasValue("mock");
    assertThat(r.headers().firstValue("x-sales-agent-cost-usd")).hasValue("0");
    assertThat(r.headers().firstValue("x-sales-agent-ignored-params")).hasValue("tags");

    HttpResponse<String> s = h.post("/v1/chat/completions", K, body("claude",
        "\"stream\":true,\"mock_response\":\"streamed mock\","));
    assertThat(s.statusCode()).isEqualTo(200);
    assertThat(s.body()).contains("\"content\":\"streamed mock\"").contains("data: [DONE]");
    assertThat(h.emulator.stats().total("*")).as("no provider was called").isEqualTo(before);
  }

  @Test
  void theLiteLlmKeyHeaderIsAcceptedLikeABearerKey() throws Exception {
    for (String value : new String[] {K, "Bearer " + K}) {
      HttpRequest req = HttpRequest.newBuilder(URI.create(h.baseUrl() + "/v1/chat/completions"))
          .timeout(Duration.ofSeconds(30)).header("content-type", "application/json").header("x-litellm-api-key", value)
          .POST(HttpRequest.BodyPublishers.ofString(body("local", ""))).build();
      HttpResponse<String> r = h.send(req);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    HttpResponse<String> wrong = h.post("/v1/chat/completions", null, body("local", ""), "x-litellm-api-key", "sk-not-a-key");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain("sk-not-a-key");
  }

  @Test
  void aNameNeitherWeNorLiteLlmKnowIsA404() {
    HttpResponse<String> r = h.post("/v1/chat/completions", K, body("azure/gpt-4o-eu", ""));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(WireJson.parse(r.body()).at("/error/code").asText()).isEqualTo("model_not_found");
  }
}
