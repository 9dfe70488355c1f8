package dev.salesagent.router.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.router.provider.anthropic.AnthropicCodec;
import dev.salesagent.router.provider.ollama.OllamaCodec;
import dev.salesagent.router.provider.openai.OpenAiCodec;
import dev.salesagent.router.provider.openai.OpenAiProvider;
import dev.salesagent.router.wire.WireJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each adapter puts on the wire. */
public class RequestBodyTest {
  static final ObjectNode SCHEMA = (ObjectNode) WireJson.parse("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}");

  public static ChatRequest req(Double temperature, ResponseFormat f, List<Message> msgs) {
    return new ChatRequest(msgs, null, temperature, List.of("END"), f,
        List.of(new ToolSpec("lookup", "find a company", (ObjectNode) WireJson.parse("{\"type\":\"object\"}"))));
  }

  public static final List<Message> CONVO = List.of(Message.system("Be brief."), Message.user("Hi"), Message.assistant("Hello  "));

  @Test
  void anthropicBody() {
    JsonNode b = AnthropicCodec.requestBody("claude-sonnet-4-5-20250929", req(0.3, ResponseFormat.TEXT, CONVO), true);
    assertThat(b.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(b.get("max_tokens").asInt()).isEqualTo(1024);
    assertThat(b.get("system").asText()).isEqualTo("Be brief.");
    assertThat(b.get("messages")).hasSize(2);
    assertThat(b.get("messages").get(0).get("role").asText()).isEqualTo("user");
    assertThat(b.get("messages").get(1).get("content").asText()).isEqualTo("Hello"); // prefill, trailing space stripped
    assertThat(b.get("temperature").asDouble()).isEqualTo(0.3);
    assertThat(b.get("stop_sequences").get(0).asText()).isEqualTo("END");
    assertThat(b.get("tools").get(0).get("input_schema")).isNotNull();
    assertThat(b.get("stream").asBoolean()).isTrue();
    assertThat(b.has("tool_choice")).isFalse();
  }

  @Test
  void anthropicDropsTemperatureForClaude5() {
    for (String m : List.of("claude-opus-5", "claude-sonnet-5-5", "claude-haiku-5-5-20260901", "claude-fable-5-1")) {
      assertThat(AnthropicCodec.requestBody(m, req(0.3, ResponseFormat.TEXT, CONVO), false).has("temperature")).as(m).isFalse();
    }
    for (String m : List.of("claude-haiku-4-5", "claude-3-5-sonnet-20241022", "claude-opus-4-8")) {
      assertThat(AnthropicCodec.requestBody(m, req(0.3, ResponseFormat.TEXT, CONVO), false).has("temperature")).as(m).isTrue();
    }
  }

  @Test
  void anthropicJsonSchemaIsAForcedTool() {
    JsonNode b = AnthropicCodec.requestBody("claude-haiku-4-5",
        req(null, new ResponseFormat.JsonSchema("lead", SCHEMA, true), List.of(Message.user("x"))), false);
    assertThat(b.get("tool_choice").get("type").asText()).isEqualTo("tool");
    assertThat(b.get("tool_choice").get("name").asText()).isEqualTo("lead");
    assertThat(b.get("tools")).hasSize(2);
    assertThat(b.get("tools").get(1).get("input_schema")).isEqualTo(SCHEMA);
    assertThat(b.has("stream")).isFalse();
  }

  /** Claude 5 models answer a forced tool choice with 400 (Sonnet 5.5 migration guide): structured output instead. */
  @Test
  void anthropicJsonSchemaForClaude5IsOutputConfigNotAForcedTool() {
    JsonNode b = AnthropicCodec.requestBody("claude-sonnet-5-5",
        req(null, new ResponseFormat.JsonSchema("lead", SCHEMA, true), List.of(Message.user("x"))), false);
    assertThat(b.has("tool_choice")).isFalse();
    assertThat(b.get("tools")).hasSize(1); // only the caller's own tool
    assertThat(b.get("output_config").get("format").get("type").asText()).isEqualTo("json_schema");
    assertThat(b.get("output_config").get("format").get("schema")).isEqualTo(SCHEMA);
  }

  @Test
  void anthropicJsonObjectIsASystemInstruction() {
    JsonNode b = AnthropicCodec.requestBody("claude-haiku-4-5", req(null, ResponseFormat.JSON_OBJECT, CONVO), false);
    assertThat(b.get("system").asText()).startsWith("Be brief.").contains("JSON object");
  }

  @Test
  void openAiBody() {
    JsonNode b = OpenAiCodec.requestBody("gpt-oss-120b",
        req(0.7, new ResponseFormat.JsonSchema("lead", SCHEMA, true), CONVO).withMaxTokens(50), true);
    assertThat(b.get("messages")).hasSize(3);
    assertThat(b.get("messages").get(0).get("role").asText()).isEqualTo("system");
    assertThat(b.get("max_tokens").asInt()).isEqualTo(50);
    assertThat(b.get("temperature").asDouble()).isEqualTo(0.7);
    assertThat(b.get("stop").get(0).asText()).isEqualTo("END");
    assertThat(b.get("response_format").get("type").asText()).isEqualTo("json_schema");
    assertThat(b.get("response_format").get("json_schema").get("name").asText()).isEqualTo("lead");
    assertThat(b.get("response_format").get("json_schema").get("strict").asBoolean()).isTrue();
    assertThat(b.get("tools").get(0).get("function").get("name").asText()).isEqualTo("lookup");
    assertThat(b.get("stream_options").get("include_usage").asBoolean()).isTrue();
    assertThat(b.has("thinking")).isFalse();
  }

  @Test
  void ollamaBodyAlwaysSaysStream() {
    JsonNode s = OllamaCodec.requestBody("llama3.2", req(0.1, ResponseFormat.JSON_OBJECT, CONVO).withMaxTokens(64), true);
    assertThat(s.get("stream").asBoolean()).isTrue();
    assertThat(s.get("options").get("num_predict").asInt()).isEqualTo(64);
    assertThat(s.get("options").get("temperature").asDouble()).isEqualTo(0.1);
    assertThat(s.get("options").get("stop").get(0).asText()).isEqualTo("END");
    assertThat(s.get("format").asText()).isEqualTo("json");
    JsonNode n = OllamaCodec.requestBody("llama3.2", req(null, new ResponseFormat.JsonSchema("lead", SCHEMA, true), CONVO), false);
    assertThat(n.has("stream")).isTrue();
    assertThat(n.get("stream").asBoolean()).isFalse();
    assertThat(n.get("format")).isEqualTo(SCHEMA);
  }
}
