package dev.salesagent.server.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.model.CacheControl;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
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

class OpenAiRequestsTest {
  static final ModelCatalog CATALOG = new ModelCatalog(ConfigLoader.loadYaml(null, null, Map.of()));

  static ParsedChat parse(String json) {
    return OpenAiRequests.parse(WireJson.parse(json), GatewayOptions.defaults(), CATALOG);
  }

  static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"strict\":true,"
      + "\"parameters\":{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
      + "\"properties\":{\"city\":{\"type\":\"string\"}},\"additionalProperties\":false}}}]";

  @Test
  void plainTextStaysPlain() {
    ParsedChat p = parse("{\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
        + "{\"role\":\"user\",\"content\":\"u\"},{\"role\":\"assistant\",\"content\":\"a\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}]}]}");
    assertThat(p.chat().messages()).containsExactly(Message.system("s"), Message.user("u"), Message.assistant("a"),
        Message.user("x"));
    assertThat(p.chat().hasParts()).isFalse();
  }

  @Test
  void aToolLoopKeepsItsStructure() {
    ParsedChat p = parse("{\"model\":\"auto\"," + TOOLS + ",\"tool_choice\":\"required\",\"parallel_tool_calls\":false,"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"look\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\",\"detail\":\"low\"}}]},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}},"
        + "{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"rain\"},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_2\",\"content\":[{\"type\":\"text\",\"text\":\"sun\"}]}]}");
    List<Message> m = p.chat().messages();
    assertThat(m).extracting(Message::role).containsExactly(Role.USER, Role.ASSISTANT, Role.TOOL);
    ContentPart.Image img = (ContentPart.Image) m.get(0).parts().get(1);
    assertThat(img.mediaType()).isEqualTo("image/png");
    assertThat(m.get(1).parts()).containsExactly(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"),
        new ToolCall("call_2", "get_weather", "{}"));
    assertThat(m.get(2).parts()).containsExactly(new ContentPart.ToolResult("call_1", "rain"),
        new ContentPart.ToolResult("call_2", "sun"));
    assertThat(p.chat().toolChoice()).isEqualTo(ToolChoice.REQUIRED);
    assertThat(p.chat().parallelToolCalls()).isFalse();
    // the schema goes on as given, $schema and additionalProperties included
    assertThat(p.chat().tools().get(0).parameters().has("$schema")).isTrue();
    assertThat(p.chat().tools().get(0).parameters().path("additionalProperties").asBoolean(true)).isFalse();
  }

  @Test
  void cacheControlOnPartsAndToolsIsKept() {
    ParsedChat p = parse("{\"model\":\"auto\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"t\"},"
        + "\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"long\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}]},{\"role\":\"user\",\"content\":\"q\"}]}");
    assertThat(p.chat().messages().get(0).parts()).containsExactly(new ContentPart.Text("long", new CacheControl("ephemeral", "1h")));
    assertThat(p.chat().tools().get(0).cacheControl()).isEqualTo(CacheControl.EPHEMERAL);
  }

  @Test
  void refusalsNameTheField() {
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("messages[0].tool_call_id is required");
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"messages\":[{\"role\":\"function\",\"name\":\"f\",\"content\":\"x\"}]}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("deprecated");
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'input_audio' is not supported");
    assertThatThrownBy(() -> parse("{\"model\":\"auto\"," + TOOLS + ",\"tool_choice\":{\"type\":\"function\",\"function\":"
        + "{\"name\":\"nope\"}},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'nope'");
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"data:image/png;base64,@@\"}}]}]}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("messages[0].content[0].image_url.url");
  }
}
