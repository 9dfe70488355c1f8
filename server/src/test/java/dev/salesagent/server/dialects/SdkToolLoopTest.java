package dev.salesagent.server.dialects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlock;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.core.http.StreamResponse;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official SDKs as clients of a full tool loop, streaming and not, each served by a provider of another protocol
 * than its own: an OpenAI client by Claude, an Anthropic client by DeepSeek, a Responses client by Claude and by
 * Ollama (whose calls have no ids on the wire). The SDKs are the judges of the wire shapes.
 */
class SdkToolLoopTest {
  static GatewayHarness h;
  static OpenAIClient openai;
  static AnthropicClient anthropic;
  static final String WEATHER = "sunny, 21 C in Paris";

  @BeforeAll
  static void up() {
    h = new GatewayHarness();
    openai = OpenAIOkHttpClient.builder().baseUrl(h.baseUrl() + "/v1").apiKey(GatewayHarness.ADMIN_KEY).maxRetries(0)
        .timeout(Duration.ofSeconds(60)).build();
    anthropic = AnthropicOkHttpClient.builder().baseUrl(h.baseUrl()).apiKey(GatewayHarness.ADMIN_KEY).maxRetries(0)
        .timeout(Duration.ofSeconds(60)).build();
  }

  @AfterAll
  static void down() {
    openai.close();
    anthropic.close();
    h.close();
  }

  static Map<String, Object> citySchema() {
    return Map.of("city", Map.of("type", "string", "description", "city name"));
  }

  // ---- OpenAI chat completions, served by Claude

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void openAiSdkToolLoopServedByClaude(boolean stream) {
    FunctionDefinition fn = FunctionDefinition.builder().name("get_weather").description("Current weather for a city")
        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(citySchema()))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .putAdditionalProperty("additionalProperties", JsonValue.from(false)).build()).build();
    ChatCompletionCreateParams.Builder p = ChatCompletionCreateParams.builder().model("anthropic/claude-haiku-4-5")
        .addUserMessage("Use get_weather with city=Paris please").addFunctionTool(fn).maxCompletionTokens(256);
    ChatCompletion first = chat(p.build(), stream);
    assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    List<ChatCompletionMessageToolCall> calls = first.choices().get(0).message().toolCalls().orElseThrow();
    assertThat(calls).hasSize(1);
    ChatCompletionMessageFunctionToolCall call = calls.get(0).asFunction();
    assertThat(call.id()).startsWith("toolu_"); // Claude's own id, round-tripped through the OpenAI dialect
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(WireJson.parse(call.function().arguments()).path("city").asText()).isEqualTo("Paris");

    p.addMessage(first.choices().get(0).message())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content(WEATHER).build());
    ChatCompletion second = chat(p.build(), stream);
    assertThat(second.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(second.choices().get(0).message().content().orElseThrow()).contains("Tool result: " + WEATHER);
    assertThat(second.usage().orElseThrow().promptTokens()).isPositive();
  }

  private static ChatCompletion chat(ChatCompletionCreateParams p, boolean stream) {
    if (!stream) return openai.chat().completions().create(p);
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    ChatCompletionCreateParams sp = p.toBuilder().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    try (StreamResponse<ChatCompletionChunk> s = openai.chat().completions().createStreaming(sp)) {
      s.stream().forEach(acc::accumulate);
    }
    return acc.chatCompletion();
  }

  // ---- Anthropic messages, served by DeepSeek

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void anthropicSdkToolLoopServedByDeepSeek(boolean stream) {
    Tool tool = anthropicWeatherTool();
    MessageCreateParams.Builder p = MessageCreateParams.builder().model("deepseek/deepseek-flash").maxTokens(256)
        .addTool(tool).addUserMessage("Use get_weather with city=Paris please");
    Message first = message(p.build(), stream);
    assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
    List<ToolUseBlock> uses = new ArrayList<>();
    first.content().forEach(b -> b.toolUse().ifPresent(uses::add));
    assertThat(uses).hasSize(1);
    ToolUseBlock use = uses.get(0);
    assertThat(use.id()).startsWith("call_"); // DeepSeek's own id, round-tripped through the Anthropic dialect
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(use._input().toString()).contains("Paris");

    p.addMessage(first).addUserMessageOfBlockParams(List.of(ContentBlockParam.ofToolResult(
        ToolResultBlockParam.builder().toolUseId(use.id()).content(WEATHER).build())));
    Message second = message(p.build(), stream);
    assertThat(second.stopReason()).contains(StopReason.END_TURN);
    StringBuilder text = new StringBuilder();
    second.content().forEach(b -> b.text().map(TextBlock::text).ifPresent(text::append));
    assertThat(text.toString()).contains("Tool result: " + WEATHER);
    assertThat(second.usage().inputTokens()).isPositive();
  }

  /**
   * Claude Code's loop: extended thinking on, a tool call, the answer (thinking block and all, by the SDK's own
   * {@code addMessage}) sent back with the tool result. The emulator, like Anthropic, refuses a thinking block whose
   * signature is not the one it gave: the second turn passes only if the gateway returned the signature and passed
   * it back byte for byte.
   */
  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void anthropicSdkToolLoopWithExtendedThinking(boolean stream) {
    Tool tool = anthropicWeatherTool();
    MessageCreateParams.Builder p = MessageCreateParams.builder().model("anthropic/claude-haiku-4-5").maxTokens(4096)
        .enabledThinking(2048).addTool(tool).addUserMessage("Use get_weather with city=Paris please");
    Message first = message(p.build(), stream);
    assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(first.content().get(0).isThinking()).isTrue();
    assertThat(first.content().get(0).asThinking().signature()).startsWith("EmuSig");
    assertThat(first.content().get(0).asThinking().thinking()).isNotBlank();
    ToolUseBlock use = first.content().get(1).asToolUse();
    assertThat(use.name()).isEqualTo("get_weather");

    p.addMessage(first).addUserMessageOfBlockParams(List.of(ContentBlockParam.ofToolResult(
        ToolResultBlockParam.builder().toolUseId(use.id()).content(WEATHER).build())));
    Message second = message(p.build(), stream);
    assertThat(second.stopReason()).contains(StopReason.END_TURN);
    assertThat(second.content().get(0).isThinking()).isTrue();
    StringBuilder text = new StringBuilder();
    second.content().forEach(b -> b.text().map(TextBlock::text).ifPresent(text::append));
    assertThat(text.toString()).contains("Tool result: " + WEATHER);
  }

  private static Tool anthropicWeatherTool() {
    return Tool.builder().name("get_weather").description("Current weather for a city")
        .inputSchema(Tool.InputSchema.builder().properties(com.anthropic.core.JsonValue.from(citySchema()))
            .addRequired("city").build()).build();
  }

  private static Message message(MessageCreateParams p, boolean stream) {
    if (!stream) return anthropic.messages().create(p);
    MessageAccumulator acc = MessageAccumulator.create();
    try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(p)) {
      s.stream().forEach(acc::accumulate);
    }
    return acc.message();
  }

  // ---- Responses API, served by Claude and by Ollama

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"anthropic/claude-haiku-4-5 false", "anthropic/claude-haiku-4-5 true", "ollama/llama3.2 false",
      "ollama/llama3.2 true"})
  void responsesSdkToolLoop(String cell) {
    String model = cell.split(" ")[0];
    boolean stream = Boolean.parseBoolean(cell.split(" ")[1]);
    FunctionTool tool = FunctionTool.builder().name("get_weather").description("Current weather for a city").strict(false)
        .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(citySchema()))
            .putAdditionalProperty("required", JsonValue.from(List.of("city"))).build()).build();
    List<ResponseInputItem> input = new ArrayList<>();
    input.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
        .content("Use get_weather with city=Paris please").build()));
    ResponseCreateParams.Builder p = ResponseCreateParams.builder().model(model).instructions("You are terse.")
        .addTool(tool).maxOutputTokens(256L);
    Response first = respond(p.inputOfResponse(input).build(), stream);
    assertThat(first.status()).contains(ResponseStatus.COMPLETED);
    List<ResponseFunctionToolCall> calls = new ArrayList<>();
    for (ResponseOutputItem it : first.output()) it.functionCall().ifPresent(calls::add);
    assertThat(calls).hasSize(1);
    ResponseFunctionToolCall call = calls.get(0);
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(call.callId()).isNotBlank();
    assertThat(call.id()).isPresent(); // sent back below as it came, with its id and status
    assertThat(WireJson.parse(call.arguments()).path("city").asText()).isEqualTo("Paris");

    input.add(ResponseInputItem.ofFunctionCall(call));
    input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
        .callId(call.callId()).output(WEATHER).build()));
    Response second = respond(p.inputOfResponse(input).build(), stream);
    assertThat(second.status()).contains(ResponseStatus.COMPLETED);
    StringBuilder text = new StringBuilder();
    for (ResponseOutputItem it : second.output()) {
      it.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text()))));
    }
    assertThat(text.toString()).contains("Tool result: " + WEATHER);
    assertThat(second.usage().orElseThrow().inputTokens()).isPositive();
    assertThat(second.usage().orElseThrow().outputTokens()).isPositive();
    assertThat(second.usage().orElseThrow().totalTokens())
        .isEqualTo(second.usage().orElseThrow().inputTokens() + second.usage().orElseThrow().outputTokens());
  }

  private static Response respond(ResponseCreateParams p, boolean stream) {
    if (!stream) return openai.responses().create(p);
    ResponseAccumulator acc = ResponseAccumulator.create();
    List<String> types = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> s = openai.responses().createStreaming(p)) {
      s.stream().forEach(e -> {
        acc.accumulate(e);
        types.add(e.isCompleted() ? "completed" : e.isCreated() ? "created" : "");
      });
    }
    assertThat(types.get(0)).isEqualTo("created");
    assertThat(types.get(types.size() - 1)).isEqualTo("completed");
    return acc.response();
  }

  @Test
  void responsesSdkPlainTextWithInstructions() {
    Response r = openai.responses().create(ResponseCreateParams.builder().model("task:content")
        .instructions("Answer in one line.").input("Write one line to Ada about her data pipeline.").build());
    assertThat(r.status()).contains(ResponseStatus.COMPLETED);
    assertThat(r.id()).startsWith("resp_");
    StringBuilder text = new StringBuilder();
    for (ResponseOutputItem it : r.output()) {
      it.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text()))));
    }
    assertThat(text.toString()).isNotBlank();
    assertThat(r.instructions()).isPresent();
  }

  @Test
  void responsesSdkPreviousResponseIdIsAClear400() {
    assertThatThrownBy(() -> openai.responses().create(ResponseCreateParams.builder().model("task:content")
        .previousResponseId("resp_abc").input("and then?").build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("previous_response_id is not supported");
  }
}
