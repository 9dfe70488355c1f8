package dev.salesagent.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.http.HttpLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that hold connections without finishing anything — slowloris headers, idle keep-alives, bodies that trickle
 * or never end — are cut by the timeouts of {@link HttpLimits} (short ones here, so the test takes seconds), while the
 * gateway keeps answering everyone else. Each test
 * checks what an operator would: the connection is closed by the server, {@code /healthz} answers throughout, and
 * the close is counted under its reason in {@code /metrics}.
 */
class SlowClientsTest {
  static final String KEY = GatewayHarness.ADMIN_KEY;
  static final HttpLimits LIMITS = HttpLimits.defaults().withTimeouts(600, 800, 600, 1_500, 1_000)
;
  static GatewayHarness h;
  /** {@code -Dhostile.sockets=N} for the longer benchmark run (docs/PERFORMANCE.md). */
  static final int SOCKETS = Integer.getInteger("hostile.sockets", 30);

  @BeforeAll
  static void up() {
    h = new GatewayHarness("", GatewayOptions.defaults().withPort(0).withEventLoops(2).withHttp(LIMITS));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  private static double closed(String reason) {
    Matcher m = Pattern.compile("sales_agent_http_connections_closed_total\\{reason=\"" + reason + "\"} (\\S+)")
        .matcher(h.get("/metrics", null).body());
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void slowlorisHeadersAreCutAtTheHeaderTimeout() throws Exception {
    double before = closed("header_timeout");
    List<RawHttp> socks = new ArrayList<>();
    try {
      for (int i = 0; i < SOCKETS; i++) socks.add(new RawHttp(h.gateway.port()).send("POST /v1/chat/completions HTTP/1.1\r\n"));
      // keep dripping a header byte per 100 ms: never a whole request
      for (int t = 0; t < 30 && socks.stream().anyMatch(s -> !s.socket.isClosed()); t++) {
        for (RawHttp s : socks) {
          try {
            s.send("X");
          } catch (java.io.IOException cut) {
            s.close();
          }
        }
        assertThat(h.get("/healthz", null).statusCode()).isEqualTo(200);
        Thread.sleep(100); // the attacker's pace, not a wait for the server
      }
      for (RawHttp s : socks) if (!s.socket.isClosed()) assertThat(s.closedByServer(5_000)).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> closed("header_timeout") >= before + SOCKETS);
    } finally {
      for (RawHttp s : socks) s.close();
    }
  }

  @Test
  void silentConnectionsAndIdleKeepAlivesAreClosed() throws Exception {
    try (RawHttp silent = new RawHttp(h.gateway.port()); RawHttp kept = new RawHttp(h.gateway.port())) {
      String first = kept.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
      assertThat(first).startsWith("HTTP/1.1 200");
      assertThat(silent.closedByServer(5_000)).as("no byte at all: the header timeout").isTrue();
      assertThat(kept.closedByServer(5_000)).as("no second request: the keep-alive timeout").isTrue();
    }
    assertThat(closed("keepalive_idle")).isPositive();
  }

  @Test
  void aKeptAliveConnectionThatKeepsAskingStaysOpen() throws Exception {
    try (RawHttp c = new RawHttp(h.gateway.port())) {
      for (int i = 0; i < 16; i++) { // 16 × 100 ms is longer than every timeout, each gap shorter than all
        assertThat(c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").readResponse()).startsWith("HTTP/1.1 200");
        Thread.sleep(100);
      }
    }
  }

  @Test
  void aBodyThatStopsOrNeverEndsIsCut() throws Exception {
    String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY
        + "\r\nContent-Type: application/json\r\n";
    try (RawHttp stops = new RawHttp(h.gateway.port()); RawHttp endless = new RawHttp(h.gateway.port())) {
      stops.send(head + "Content-Length: 100\r\n\r\n{\"model\":");
      endless.send(head + "Transfer-Encoding: chunked\r\n\r\n");
      boolean cut = false;
      for (int i = 0; i < 60 && !cut; i++) { // one small chunk per 100 ms, for ever
        try {
          endless.send("1\r\n \r\n");
        } catch (java.io.IOException e) {
          cut = true;
        }
        Thread.sleep(100);
      }
      assertThat(cut || endless.closedByServer(5_000)).as("the endless chunked body").isTrue();
      assertThat(stops.closedByServer(5_000)).as("the body that stopped").isTrue();
    }
    assertThat(closed("body_idle")).isPositive();
    assertThat(closed("body_timeout")).isPositive();
  }
}
