package dev.salesagent.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.server.GatewayHarness;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients cannot choose metric labels: a flood of random HTTP method names (any token is a valid method) and random
 * paths leaves the number of series in {@code /metrics} where it was, counted under {@code method="OTHER"}.
 */
class MetricCardinalityTest {
  static GatewayHarness h;

  @BeforeAll
  static void up() {
    h = new GatewayHarness();
  }

  @AfterAll
  static void down() {
    h.close();
  }

  private static long series() {
    return h.get("/metrics", null).body().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
  }

  @Test
  void randomMethodNamesAndPathsAddNoSeries() throws Exception {
    Random rnd = new Random(12);
    // one of each shape first, so every series that may legitimately exist exists
    try (RawHttp c = new RawHttp(h.gateway.port())) {
      c.send("WARMUP /x HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
      c.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
    }
    series(); // the scrape's own GET/200 series exist from here on
    long before = series();
    try (RawHttp c = new RawHttp(h.gateway.port())) {
      for (int i = 0; i < Integer.getInteger("hostile.methods", 2_000); i++) {
        StringBuilder m = new StringBuilder();
        for (int k = 0; k < 12; k++) m.append((char) ('A' + rnd.nextInt(26)));
        String out = c.send(m + " /p" + rnd.nextInt(1_000_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
        assertThat(out).startsWith("HTTP/1.1 404");
      }
    }
    String metrics = h.get("/metrics", null).body();
    assertThat(series()).isEqualTo(before);
    assertThat(metrics).contains("vertx_http_server_requests_total{code=\"404\",method=\"OTHER\"}");
  }
}
