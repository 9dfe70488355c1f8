package dev.salesagent.router.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.CacheControl;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.ToolChoice;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.router.provider.anthropic.AnthropicCodec;
import dev.salesagent.router.provider.ollama.OllamaCodec;
import dev.salesagent.router.provider.openai.OpenAiCodec;
import dev.salesagent.router.wire.WireJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The request half of the transcripts: one conversation per scenario (text, one forced tool call, parallel-capable
 * tools, a tool-result turn, images, cache breakpoints) written by each adapter's encoder must equal the body recorded
 * in that provider's documented shape ({@code fixtures/requests/<provider>.<scenario>.request.json}). The answer half
 * ({@code fixtures/<provider>.transcript.<scenario>.*}) is parsed whole and byte-split by {@link FixtureParsingTest}
 * and {@link ChunkingPropertyTest}.
 */
class TranscriptRequestTest {
  static final String SYSTEM = "You are a sales assistant.";
  static final String LONG = "Company handbook. " + "Every lead gets a polite, short and specific first email. ".repeat(3);
  static final String Q = "What's the weather and the time in Paris?";
  static final String PNG = "iVBORw0KGgo=";

  static final List<ToolSpec> TOOLS = List.of(
      new ToolSpec("get_weather", "Current weather of a city.", (ObjectNode) WireJson.parse(
          "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\",\"description\":\"City name\"}},"
              + "\"required\":[\"location\"],\"additionalProperties\":false,\"$schema\":\"http://json-schema.org/draft-07/schema#\"}")),
      new ToolSpec("get_time", "Local time of a timezone.", (ObjectNode) WireJson.parse(
          "{\"type\":\"object\",\"properties\":{\"timezone\":{\"type\":\"string\"}},\"required\":[\"timezone\"]}"),
          CacheControl.EPHEMERAL));

  /** The conversation of a scenario; {@code urlImage}: add an image by URL (Ollama takes inline images only). */
  static ChatRequest conversation(String scenario, boolean urlImage) {
    return switch (scenario) {
      case "text" -> ChatRequest.of(List.of(Message.system(SYSTEM), Message.user("Say hello.")));
      case "tool" -> ChatRequest.of(List.of(Message.system(SYSTEM), Message.user(Q)))
          .withTools(TOOLS, ToolChoice.named("get_weather")).withParallelToolCalls(false);
      case "parallel" -> ChatRequest.of(List.of(Message.system(SYSTEM), Message.user(Q))).withTools(TOOLS, ToolChoice.AUTO);
      case "toolresult" -> ChatRequest.of(List.of(Message.system(SYSTEM), Message.user(Q),
              Message.assistantToolCalls(null, List.of(
                  new ToolCall("call_w1", "get_weather", "{\"location\":\"Paris\"}"),
                  new ToolCall("call_t2", "get_time", "{\"timezone\":\"Europe/Paris\"}"))),
              Message.toolResults(new ContentPart.ToolResult("call_w1", "18 °C, sunny"),
                  new ContentPart.ToolResult("call_t2", "timezone unknown", true, null)),
              Message.user("Answer briefly.")))
          .withTools(TOOLS, ToolChoice.AUTO);
      case "image" -> {
        List<ContentPart> parts = new ArrayList<>(List.of(new ContentPart.Text("What is in this image?"),
            ContentPart.Image.fromUrl("data:image/png;base64," + PNG)));
        if (urlImage) parts.add(ContentPart.Image.fromUrl("https://example.com/cat.jpg"));
        yield ChatRequest.of(List.of(Message.system(SYSTEM), Message.of(Role.USER, parts)));
      }
      case "cached" -> ChatRequest.of(List.of(
          Message.of(Role.SYSTEM, List.of(new ContentPart.Text(LONG, CacheControl.EPHEMERAL))),
          Message.of(Role.USER, List.of(new ContentPart.Text("Summarise.", new CacheControl("ephemeral", "1h"))))));
      default -> throw new IllegalArgumentException(scenario);
    };
  }

  static final List<String> SCENARIOS = List.of("text", "tool", "parallel", "toolresult", "image", "cached");

  @TestFactory
  Stream<DynamicTest> eachProviderWritesTheDocumentedShape() {
    List<DynamicTest> out = new ArrayList<>();
    for (String sc : SCENARIOS) {
      for (boolean stream : new boolean[] {false, true}) {
        String mode = stream ? " stream" : "";
        out.add(DynamicTest.dynamicTest("openai " + sc + mode, () -> check("openai", sc, stream,
            r -> OpenAiCodec.requestBody("M", r, stream), true)));
        out.add(DynamicTest.dynamicTest("anthropic " + sc + mode, () -> check("anthropic", sc, stream,
            r -> AnthropicCodec.requestBody("M", r, stream), true)));
        out.add(DynamicTest.dynamicTest("ollama " + sc + mode, () -> check("ollama", sc, stream,
            r -> OllamaCodec.requestBody("M", r, stream), false)));
      }
    }
    return out.stream();
  }

  static void check(String provider, String scenario, boolean stream, Function<ChatRequest, JsonNode> encode, boolean urlImage)
      throws Exception {
    Path f = FixtureSupport.localDir().resolve("requests").resolve(provider + "." + scenario + ".request.json");
    ObjectNode expected = (ObjectNode) WireJson.MAPPER.readTree(Files.readAllBytes(f));
    if (stream) {
      switch (provider) {
        case "openai" -> {
          expected.put("stream", true);
          expected.putObject("stream_options").put("include_usage", true);
        }
        case "anthropic" -> expected.put("stream", true);
        default -> expected.put("stream", true);
      }
    }
    assertThat(encode.apply(conversation(scenario, urlImage))).as(provider + " " + scenario).isEqualTo(expected);
  }

  @Test
  void ollamaRefusesAnImageByUrlInsteadOfDroppingIt() {
    assertThatThrownBy(() -> OllamaCodec.requestBody("M", conversation("image", true), false))
        .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST))
        .hasMessageContaining("inline");
  }

  @Test
  void ollamaEnforcesNoneByOfferingNoTools() {
    ChatRequest r = conversation("parallel", false).withTools(TOOLS, ToolChoice.NONE);
    assertThat(OllamaCodec.requestBody("M", r, false).has("tools")).isFalse();
    // with tool turns in the history Ollama needs the tools to read them
    ChatRequest h = conversation("toolresult", false).withTools(TOOLS, ToolChoice.NONE);
    assertThat(OllamaCodec.requestBody("M", h, false).get("tools")).hasSize(2);
  }

  @Test
  void plainTextRequestsTakeNoStructuredPath() {
    ChatRequest r = conversation("text", false);
    assertThat(r.hasParts()).isFalse();
    assertThat(r.messages()).allMatch(Message::isPlainText);
  }
}
