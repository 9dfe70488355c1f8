package dev.salesagent.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

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
}
