package dev.salesagent.server.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.ToolChoice;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ParsedChat;
import dev.salesagent.server.http.ApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponsesRequestsTest {
  static final ModelCatalog CATALOG = new ModelCatalog(ConfigLoader.loadYaml(null, null, Map.of()));

  static ParsedChat parse(String json) {
    return ResponsesRequests.parse(WireJson.parse(json), GatewayOptions.defaults(), CATALOG);
  }

  static final String TOOL = "{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
      + "\"properties\":{\"city\":{\"type\":\"string\"}}},\"strict\":true}";

  @Test
  void aStringInputWithInstructions() {
    ParsedChat p = parse("{\"model\":\"task:content\",\"instructions\":\"Be brief.\",\"input\":\"Hello\",\"stream\":true,"
        + "\"max_output_tokens\":99,\"metadata\":{\"a\":\"b\"},\"store\":true}");
    assertThat(p.chat().messages()).containsExactly(Message.system("Be brief."), Message.user("Hello"));
    assertThat(p.chat().maxTokens()).isEqualTo(99);
    assertThat(p.stream()).isTrue();
    assertThat(p.echo().path("metadata").path("a").asText()).isEqualTo("b");
    assertThat(p.echo().path("text").path("format").path("type").asText()).isEqualTo("text");
  }

  @Test
  void aToolLoopSentBackAsItemsBecomesTurns() {
    ParsedChat p = parse("{\"model\":\"task:content\",\"tools\":[" + TOOL + "],\"tool_choice\":{\"type\":\"function\","
        + "\"name\":\"get_weather\"},\"parallel_tool_calls\":false,\"input\":["
        + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"weather?\"},"
        + "{\"type\":\"input_image\",\"image_url\":\"data:image/png;base64,iVBORw0KGgo=\"}]},"
        + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[]},"
        + "{\"type\":\"message\",\"role\":\"assistant\",\"id\":\"msg_1\",\"status\":\"completed\","
        + "\"content\":[{\"type\":\"output_text\",\"text\":\"Checking.\",\"annotations\":[]}]},"
        + "{\"type\":\"function_call\",\"id\":\"fc_1\",\"status\":\"completed\",\"call_id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"},"
        + "{\"type\":\"function_call\",\"id\":\"fc_2\",\"status\":\"completed\",\"call_id\":\"call_2\",\"name\":\"get_weather\",\"arguments\":\"\"},"
        + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"rain\"},"
        + "{\"type\":\"function_call_output\",\"id\":\"fco_2\",\"status\":\"completed\",\"call_id\":\"call_2\","
        + "\"output\":[{\"type\":\"input_text\",\"text\":\"a\"},{\"type\":\"input_text\",\"text\":\"b\"}]}]}");
    List<Message> m = p.chat().messages();
    assertThat(m).extracting(Message::role).containsExactly(Role.USER, Role.ASSISTANT, Role.TOOL);
    assertThat(m.get(0).parts().get(1)).isInstanceOf(ContentPart.Image.class);
    assertThat(m.get(1).parts()).containsExactly(new ContentPart.Text("Checking."),
        new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"), new ToolCall("call_2", "get_weather", "{}"));
    assertThat(m.get(2).parts()).containsExactly(new ContentPart.ToolResult("call_1", "rain"),
        new ContentPart.ToolResult("call_2", "a\nb"));
    assertThat(p.chat().toolChoice()).isEqualTo(ToolChoice.named("get_weather"));
    assertThat(p.chat().parallelToolCalls()).isFalse();
    assertThat(p.chat().tools().get(0).parameters().path("properties").has("city")).isTrue();
  }

  @Test
  void statefulRequestsAreRefusedSayingSo() {
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"previous_response_id\":\"resp_1\",\"input\":\"x\"}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("previous_response_id is not supported")
        .hasMessageContaining("send the whole conversation in input");
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"conversation\":\"conv_1\",\"input\":\"x\"}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("conversation is not supported");
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("item_reference");
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"background\":true,\"input\":\"x\"}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("background");
  }

  @Test
  void whatNoOtherProviderCouldTakeIsRefusedByName() {
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}]}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("tools[0].type 'web_search' is not supported");
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\","
        + "\"file_id\":\"file_1\"}]}]}")).isInstanceOf(ApiException.class).hasMessageContaining("file_id");
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\","
        + "\"file_id\":\"file_1\"}]}]}")).isInstanceOf(ApiException.class).hasMessageContaining("input_file");
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"input\":\"x\",\"tools\":[" + TOOL + "],\"tool_choice\":"
        + "{\"type\":\"function\",\"name\":\"nope\"}}")).isInstanceOf(ApiException.class).hasMessageContaining("'nope'");
  }

  @Test
  void structuredOutputFromTextFormat() {
    ParsedChat p = parse("{\"model\":\"auto\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"card\","
        + "\"schema\":{\"type\":\"object\"},\"strict\":true}}}");
    assertThat(p.chat().responseFormat()).isInstanceOf(ResponseFormat.JsonSchema.class);
    assertThat(((ResponseFormat.JsonSchema) p.chat().responseFormat()).name()).isEqualTo("card");
  }
}
