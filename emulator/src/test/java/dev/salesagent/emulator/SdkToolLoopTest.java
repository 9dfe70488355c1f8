package dev.salesagent.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official OpenAI and Anthropic Java SDKs run a two-step parallel tool loop against the emulator, streaming and not. */
class SdkToolLoopTest extends EmulatorTestBase {
  static OpenAIClient openai;
  static AnthropicClient anthropic;

  @BeforeAll
  static void clients() {
    openai = OpenAIOkHttpClient.builder().baseUrl(emu.openAiBaseUrl()).apiKey("emulator").maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    anthropic = AnthropicOkHttpClient.builder().baseUrl(emu.anthropicBaseUrl()).apiKey("emulator").maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  @AfterAll
  static void close() {
    openai.close();
    anthropic.close();
  }

  private static final String ASK = "Use lookup_account name=Acme, then get_weather city=Berlin";

  private static FunctionDefinition fn(String name, String prop) {
    return FunctionDefinition.builder().name(name).description("tool " + name)
        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of(prop, Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of(prop))).build())
        .build();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void openAiSdkToolLoop(boolean stream) {
    ChatCompletionCreateParams.Builder p = ChatCompletionCreateParams.builder().model("gpt-oss-120b")
        .addFunctionTool(fn("get_weather", "city")).addFunctionTool(fn("lookup_account", "name")).addUserMessage(ASK);
    ChatCompletion first = openAiCall(p.build(), stream);
    assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, first.choices().get(0).finishReason());
    List<ChatCompletionMessageFunctionToolCall> calls = new ArrayList<>();
    for (ChatCompletionMessageToolCall c : first.choices().get(0).message().toolCalls().orElseThrow()) calls.add(c.asFunction());
    assertEquals(List.of("lookup_account", "get_weather"), calls.stream().map(c -> c.function().name()).toList());
    assertTrue(calls.get(0).function().arguments().contains("\"name\":\"Acme\""), calls.get(0).function().arguments());
    assertTrue(calls.get(1).function().arguments().contains("\"city\":\"Berlin\""), calls.get(1).function().arguments());
    p.addMessage(first.choices().get(0).message());
    for (ChatCompletionMessageFunctionToolCall c : calls) {
      p.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(c.id()).content("result of " + c.function().name()).build());
    }
    ChatCompletion second = openAiCall(p.build(), stream);
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, second.choices().get(0).finishReason());
    String text = second.choices().get(0).message().content().orElseThrow();
    assertTrue(text.contains("result of lookup_account") && text.contains("result of get_weather"), text);
  }

  private static ChatCompletion openAiCall(ChatCompletionCreateParams p, boolean stream) {
    if (!stream) return openai.chat().completions().create(p);
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    try (var s = openai.chat().completions().createStreaming(p)) {
      s.stream().forEach((ChatCompletionChunk c) -> acc.accumulate(c));
    }
    return acc.chatCompletion();
  }

  private static Tool tool(String name, String prop) {
    return Tool.builder().name(name).description("tool " + name)
        .inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder().putAdditionalProperty(prop, com.anthropic.core.JsonValue.from(Map.of("type", "string"))).build())
            .required(List.of(prop)).build())
        .build();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anthropicSdkToolLoop(boolean stream) {
    MessageCreateParams.Builder p = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(1024)
        .addTool(tool("get_weather", "city")).addTool(tool("lookup_account", "name")).addUserMessage(ASK);
    Message first = anthropicCall(p.build(), stream);
    assertEquals(StopReason.TOOL_USE, first.stopReason().orElseThrow());
    List<ToolUseBlock> uses = first.content().stream().filter(ContentBlock::isToolUse).map(b -> b.toolUse().orElseThrow()).toList();
    assertEquals(List.of("lookup_account", "get_weather"), uses.stream().map(ToolUseBlock::name).toList());
    assertEquals("Acme", uses.get(0)._input().convert(Map.class).get("name"));
    assertEquals("Berlin", uses.get(1)._input().convert(Map.class).get("city"));
    p.addMessage(first);
    List<ContentBlockParam> results = new ArrayList<>();
    for (ToolUseBlock u : uses) {
      results.add(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(u.id()).content("result of " + u.name()).build()));
    }
    p.addUserMessageOfBlockParams(results);
    Message second = anthropicCall(p.build(), stream);
    assertEquals(StopReason.END_TURN, second.stopReason().orElseThrow());
    String text = second.content().get(0).text().orElseThrow().text();
    assertTrue(text.contains("result of lookup_account") && text.contains("result of get_weather"), text);
  }

  private static Message anthropicCall(MessageCreateParams p, boolean stream) {
    if (!stream) return anthropic.messages().create(p);
    MessageAccumulator acc = MessageAccumulator.create();
    try (var s = anthropic.messages().createStreaming(p)) {
      s.stream().forEach((RawMessageStreamEvent e) -> acc.accumulate(e));
    }
    return acc.message();
  }
}
