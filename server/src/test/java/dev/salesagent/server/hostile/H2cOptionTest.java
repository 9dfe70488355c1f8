package dev.salesagent.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.http.HttpLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** HTTP/2 over cleartext is an option ({@code --h2c}), off by default: a client asking to upgrade stays on HTTP/1.1. */
class H2cOptionTest {
  private static HttpResponse<String> healthz(GatewayHarness h) throws Exception {
    HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/healthz")).timeout(Duration.ofSeconds(10))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r;
  }

  @Test
  void offByDefault() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      assertThat(healthz(h).version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }
  }

  @Test
  void onWhenAskedFor() throws Exception {
    try (GatewayHarness h = new GatewayHarness("", GatewayOptions.defaults().withPort(0).withEventLoops(2)
        .withHttp(HttpLimits.defaults().withH2c(true)))) {
      assertThat(healthz(h).version()).isEqualTo(HttpClient.Version.HTTP_2);
    }
  }
}
