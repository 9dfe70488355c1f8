package dev.salesagent.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.http.HttpLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connections beyond the per-address cap get a clear 503 with the JSON error body and are closed; below it, all is well. */
class ConnectionCapsTest {
  static GatewayHarness h;

  @BeforeAll
  static void up() {
    h = new GatewayHarness("", GatewayOptions.defaults().withPort(0).withEventLoops(2)
        .withHttp(HttpLimits.defaults().withConnectionCaps(10_000, 40)));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  @Test
  void connectionsOverThePerAddressCapGetA503AndAreClosed() throws Exception {
    List<RawHttp> held = new ArrayList<>();
    try {
      // hold the cap's worth of open connections (each sends a request every so often so no timeout cuts it)
      // A round trip on each proves the gateway has counted it (connections are accepted on two event loops, so a
      // bare connect does not say the count has moved yet).
      for (int i = 0; i < 40; i++) {
        RawHttp c = new RawHttp(h.gateway.port());
        held.add(c);
        assertThat(c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").readResponse()).startsWith("HTTP/1.1 200");
      }
      try (RawHttp over = new RawHttp(h.gateway.port())) {
        String out = over.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").readToClose();
        assertThat(out).startsWith("HTTP/1.1 503").contains("\"code\":\"overloaded\"").contains("per address")
            .contains("retry-after: 1");
      }
    } finally {
      for (RawHttp c : held) c.close();
    }
    // once they are gone, the address may connect again
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      try (RawHttp again = new RawHttp(h.gateway.port())) {
        assertThat(again.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").readResponse()).startsWith("HTTP/1.1 200");
      }
    });
  }
}
