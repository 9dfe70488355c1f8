package dev.salesagent.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.salesagent.router.model.CacheControl;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.ToolChoice;
import dev.salesagent.server.http.ApiException;

import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ParsedChat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicRequestsTest {
  @Test
  void parsesSystemBlocksAndTools() {
    ModelCatalog c = new ModelCatalog(ConfigLoader.loadYaml(null, null, Map.of()));
    ParsedChat p = AnthropicRequests.parse(WireJson.parse("{\"model\":\"task:content\",\"max_tokens\":64,\"stream\":true,"
        + "\"system\":[{\"type\":\"text\",\"text\":\"be brief\"}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        GatewayOptions.defaults(), c);
    assertThat(p.chat().systemText()).isEqualTo("be brief");
    assertThat(p.route().task()).isEqualTo("content");
    assertThat(p.stream()).isTrue();
  }

  static ParsedChat parse(String json) {
    return AnthropicRequests.parse(WireJson.parse(json), GatewayOptions.defaults(),
        new ModelCatalog(ConfigLoader.loadYaml(null, null, Map.of())));
  }

  @Test
  void aToolLoopKeepsItsStructure() {
    ParsedChat p = parse("{\"model\":\"auto\",\"max_tokens\":64,"
        + "\"tools\":[{\"name\":\"get_weather\",\"eager_input_streaming\":true,\"cache_control\":{\"type\":\"ephemeral\"},"
        + "\"input_schema\":{\"type\":\"object\",\"additionalProperties\":false}}],"
        + "\"tool_choice\":{\"type\":\"any\",\"disable_parallel_tool_use\":true},\"messages\":["
        + "{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\","
        + "\"data\":\"iVBORw0KGgo=\"}},{\"type\":\"text\",\"text\":\"weather?\",\"cache_control\":{\"type\":\"ephemeral\"}}]},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hm\",\"signature\":\"sig\"},"
        + "{\"type\":\"text\",\"text\":\"Checking.\"},{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\","
        + "\"input\":{\"city\":\"Oslo\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"is_error\":true,"
        + "\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},{\"type\":\"text\",\"text\":\"and?\"}]}]}");
    var m = p.chat().messages();
    assertThat(m).extracting(Message::role).containsExactly(Role.USER, Role.ASSISTANT, Role.TOOL, Role.USER);
    assertThat(m.get(0).parts().get(0)).isInstanceOf(ContentPart.Image.class);
    assertThat(m.get(0).parts().get(1)).isEqualTo(new ContentPart.Text("weather?", CacheControl.EPHEMERAL));
    assertThat(m.get(1).parts()).containsExactly(new ContentPart.Reasoning("hm", "sig"), new ContentPart.Text("Checking."),
        new ToolCall("toolu_1", "get_weather", "{\"city\":\"Oslo\"}"));
    assertThat(m.get(2).parts()).containsExactly(new ContentPart.ToolResult("toolu_1", "a\nb", true, null));
    assertThat(m.get(3)).isEqualTo(Message.user("and?"));
    assertThat(p.chat().toolChoice()).isEqualTo(ToolChoice.REQUIRED);
    assertThat(p.chat().parallelToolCalls()).isFalse();
    assertThat(p.chat().tools().get(0).cacheControl()).isEqualTo(CacheControl.EPHEMERAL);
  }

  @Test
  void whatOnlyAnthropicCouldServeIsRefusedByName() {
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"max_tokens\":64,\"tools\":[{\"type\":\"web_search_20250305\","
        + "\"name\":\"web_search\"}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("server tool");
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"image\",\"source\":{}}]}]}]}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("not supported in a tool result");
    assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"@@\"}}]}]}"))
        .isInstanceOf(ApiException.class).hasMessageContaining("not valid base64");
  }
}
