package dev.salesagent.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.salesagent.server.GatewayHarness;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP server meters count what clients saw, by method and status, under vertx-micrometer's names. */
class HttpServerMetersTest {
  static GatewayHarness h;
  static final String K = GatewayHarness.ADMIN_KEY;
  static final String CHAT = "{\"model\":\"task:qualification\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void up() {
    h = new GatewayHarness();
  }

  @AfterAll
  static void down() {
    h.close();
  }

  private static double counter(String name, String... tags) {
    var c = h.registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void countsRequestsBytesAndTimesByMethodAndStatus() {
    MeterRegistry r = h.registry;
    double ok0 = counter("vertx.http.server.requests", "method", "POST", "code", "200");
    double missing0 = counter("vertx.http.server.requests", "method", "GET", "code", "404");
    long bodyBytes = 0;
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> resp = h.post("/v1/chat/completions", K, CHAT);
      assertThat(resp.statusCode()).isEqualTo(200);
      bodyBytes += resp.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    assertThat(h.get("/no/such/path", K).statusCode()).isEqualTo(404);

    // The response is metered as its last byte is written: a moment after the client may have it. The harness's
    // emulators share the gateway's Vert.x, so their POSTs count too; the 404 is the gateway's alone.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(counter("vertx.http.server.requests", "method", "POST", "code", "200") - ok0).isGreaterThanOrEqualTo(5);
      assertThat(counter("vertx.http.server.requests", "method", "GET", "code", "404") - missing0).isEqualTo(1);
      assertThat(r.find("vertx.http.server.active.requests").tag("method", "POST").gauge().value()).isZero();
    });
    var time = r.find("vertx.http.server.response.time").tags("method", "POST", "code", "200").timer();
    assertThat(time.count()).isGreaterThanOrEqualTo(5);
    assertThat(time.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    var respBytes = r.find("vertx.http.server.response.bytes").tags("method", "POST", "code", "200").summary();
    assertThat(respBytes.totalAmount()).isGreaterThanOrEqualTo(bodyBytes);
    var reqBytes = r.find("vertx.http.server.request.bytes").tags("method", "POST").summary();
    assertThat(reqBytes.totalAmount()).isGreaterThanOrEqualTo(5.0 * CHAT.length());
    assertThat(r.find("vertx.http.server.bytes.read").functionCounter().count()).isGreaterThanOrEqualTo(reqBytes.totalAmount());
    assertThat(r.find("vertx.http.server.bytes.written").functionCounter().count()).isGreaterThanOrEqualTo(respBytes.totalAmount());
    assertThat(r.find("vertx.http.server.active.connections").gauge().value()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void scrapeShowsThePrometheusNamesDashboardsUse() {
    h.post("/v1/chat/completions", K, CHAT);
    String text = h.get("/metrics", null).body();
    assertThat(text)
        .contains("vertx_http_server_requests_total{code=\"200\",method=\"POST\"}")
        .contains("vertx_http_server_response_time_seconds_count{code=\"200\",method=\"POST\"}")
        .contains("vertx_http_server_response_bytes_sum{code=\"200\",method=\"POST\"}")
        .contains("vertx_http_server_request_bytes_count{method=\"POST\"}")
        .contains("vertx_http_server_active_requests{method=\"GET\"} 1.0") // the scrape itself
        .contains("vertx_http_server_active_connections")
        .contains("vertx_http_server_bytes_read_total")
        .contains("vertx_http_server_bytes_written_total");
  }
}
