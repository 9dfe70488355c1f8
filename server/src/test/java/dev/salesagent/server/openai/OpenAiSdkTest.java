package dev.salesagent.server.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK is the judge of our chat-completions wire format. */
class OpenAiSdkTest {
  static GatewayHarness h;
  static OpenAIClient client;

  @BeforeAll
  static void up() {
    h = new GatewayHarness();
    client = OpenAIOkHttpClient.builder().baseUrl(h.baseUrl() + "/v1").apiKey(GatewayHarness.ADMIN_KEY).maxRetries(0)
        .timeout(Duration.ofSeconds(60)).build();
  }

  @AfterAll
  static void down() {
    client.close();
    h.close();
  }

  @BeforeEach
  void clearFaults() {
    h.emulator.faults().clear();
  }

  static ChatCompletionCreateParams.Builder params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addSystemMessage("You are terse.")
        .addUserMessage("Say hello to Ada.").maxCompletionTokens(64).temperature(0.2);
  }

  @Test
  void nonStreamingText() {
    var raw = client.chat().completions().withRawResponse().create(params("task:qualification").build());
    ChatCompletion c = raw.parse();
    assertThat(c.choices()).hasSize(1);
    assertThat(c.choices().get(0).message().content()).isPresent();
    assertThat(c.choices().get(0).message().content().get()).isNotBlank();
    assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(c.usage()).isPresent();
    assertThat(c.usage().get().promptTokens()).isPositive();
    assertThat(c.usage().get().completionTokens()).isPositive();
    assertThat(raw.headers().values("x-sales-agent-provider")).containsExactly("cerebras");
    assertThat(raw.headers().values("x-sales-agent-attempts")).containsExactly("1");
    assertThat(raw.headers().values("x-sales-agent-cost-usd").get(0)).matches("[0-9.]+");
    assertThat(raw.headers().values("x-request-id").get(0)).startsWith("req_");
  }

  @Test
  void providerSlashModelAndBareModelIds() {
    assertThat(client.chat().completions().create(params("deepseek/deepseek-flash").build()).model()).isEqualTo("deepseek-flash");
    assertThat(client.chat().completions().create(params("claude-haiku-4-5").build()).model()).contains("claude-haiku-4-5");
    assertThat(client.chat().completions().create(params("auto").build()).choices()).hasSize(1);
  }

  @Test
  void streamingTextWithUsageChunk() {
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
        params("task:content").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      s.stream().forEach(c -> {
        chunks.add(c);
        acc.accumulate(c);
      });
    }
    ChatCompletion c = acc.chatCompletion();
    assertThat(c.choices().get(0).message().content().orElse("")).isNotBlank();
    assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage()).isPresent();
    assertThat(last.usage().get().completionTokens()).isPositive();
    Map<String, JsonValue> extra = last.usage().get()._additionalProperties();
    assertThat(extra).containsKey("cost_usd");
  }

  @Test
  void jsonObjectAndJsonSchemaOutput() throws Exception {
    ChatCompletion c = client.chat().completions().create(params("task:qualification")
        .responseFormat(ResponseFormatJsonObject.builder().build()).build());
    JsonNode n = WireJson.MAPPER.readTree(c.choices().get(0).message().content().orElseThrow());
    assertThat(n.isObject()).isTrue();

    ResponseFormatJsonSchema.JsonSchema.Schema schema = ResponseFormatJsonSchema.JsonSchema.Schema.builder()
        .putAdditionalProperty("type", JsonValue.from("object"))
        .putAdditionalProperty("properties", JsonValue.from(Map.of("score", Map.of("type", "integer"),
            "tier", Map.of("type", "string", "enum", List.of("A", "B", "C")))))
        .putAdditionalProperty("required", JsonValue.from(List.of("score", "tier")))
        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
        .build();
    ChatCompletionCreateParams p = params("task:qualification").responseFormat(ResponseFormatJsonSchema.builder()
        .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name("lead").schema(schema).strict(true).build())
        .build()).build();
    JsonNode s = WireJson.MAPPER.readTree(client.chat().completions().create(p).choices().get(0).message().content().orElseThrow());
    assertThat(s.get("score").isInt()).isTrue();
    assertThat(s.get("tier").asText()).isIn("A", "B", "C");

    // and streamed
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> st = client.chat().completions().createStreaming(p)) {
      st.stream().forEach(ch -> ch.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
    }
    assertThat(WireJson.MAPPER.readTree(text.toString()).get("tier").asText()).isIn("A", "B", "C");
  }

  @Test
  void fallbackIsInvisibleToTheClientButVisibleInHeaders() {
    h.emulator.faults().next("openai", Fault.OVERLOADED, 3); // cerebras primary: retried, then fallen back
    var raw = client.chat().completions().withRawResponse().create(params("task:qualification").build());
    assertThat(raw.parse().choices().get(0).message().content().orElse("")).isNotBlank();
    assertThat(Integer.parseInt(raw.headers().values("x-sales-agent-attempts").get(0))).isGreaterThan(1);
    assertThat(raw.headers().values("x-sales-agent-attempt-list").get(0)).contains("=overloaded");
  }

  @Test
  void unknownModelIs404ModelNotFound() {
    assertThatThrownBy(() -> client.chat().completions().create(params("gpt-9-ultra").build()))
        .isInstanceOf(NotFoundException.class)
        .satisfies(e -> {
          NotFoundException nf = (NotFoundException) e;
          assertThat(nf.statusCode()).isEqualTo(404);
          assertThat(nf.code()).contains("model_not_found");
        });
  }

  @Test
  void midStreamErrorRaisesInTheSdk() {
    // A single pinned target: a stream cut after content cannot fall back, so the client must see an error event.
    h.emulator.faults().always("openai", Fault.STREAM_ERROR);
    List<String> deltas = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params("cerebras/gpt-oss-120b").build())) {
        s.stream().forEach(ch -> ch.choices().forEach(c -> c.delta().content().ifPresent(deltas::add)));
      }
    }).isInstanceOf(OpenAIException.class);
  }

  @Test
  void modelsListHasAutoTasksAndTargets() {
    List<String> ids = client.models().list().data().stream().map(Model::id).toList();
    assertThat(ids).contains("auto", "task:qualification", "task:content", "task:research", "task:parsing",
        "anthropic/claude-sonnet-5-5", "deepseek/deepseek-flash", "claude-sonnet-5-5");
  }
}
