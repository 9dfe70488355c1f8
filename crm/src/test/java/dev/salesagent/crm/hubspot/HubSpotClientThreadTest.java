package dev.salesagent.crm.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CLI calls HubSpot from its own thread (crm pull / push). Every such call completes — none waits forever on a
 * body that arrived before it was asked for — however fast the server answers.
 */
class HubSpotClientThreadTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void callsFromANonVertxThreadAllComplete() throws Exception {
    HttpServer server = vertx.createHttpServer()
        .requestHandler(req -> req.response().putHeader("content-type", "application/json").end("{\"results\":[]}"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    HubSpotClient client = new HubSpotClient(vertx,
        new HubSpotClient.Settings("http://127.0.0.1:" + server.actualPort(), "pat-test", 0, 0, 10, 5_000));
    for (int i = 0; i < 2_000; i++) {
      HubSpotClient.Answer a = client.call(HttpMethod.GET, "/crm/v3/properties/contacts", null, true, Set.of())
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(a.status()).isEqualTo(200);
    }
  }
}
