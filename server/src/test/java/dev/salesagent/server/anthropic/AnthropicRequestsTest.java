package dev.salesagent.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.wire.Json;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.routing.ModelCatalog;
import dev.salesagent.server.routing.ParsedChat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicRequestsTest {
  @Test
  void parsesSystemBlocksAndTools() {
    ModelCatalog c = new ModelCatalog(ConfigLoader.loadYaml(null, null, Map.of()));
    ParsedChat p = AnthropicRequests.parse(Json.parse("{\"model\":\"task:content\",\"max_tokens\":64,\"stream\":true,"
        + "\"system\":[{\"type\":\"text\",\"text\":\"be brief\"}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        GatewayOptions.defaults(), c);
    assertThat(p.chat().systemText()).isEqualTo("be brief");
    assertThat(p.route().task()).isEqualTo("content");
    assertThat(p.stream()).isTrue();
  }
}
