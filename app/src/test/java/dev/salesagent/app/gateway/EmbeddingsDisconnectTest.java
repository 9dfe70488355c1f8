package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import io.vertx.core.http.HttpServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that hangs up on {@code POST /v1/embeddings} stops the upstream call, as for chat: a local embedding server
 * that never answers (a large batch on a slow machine, say) sees its connection closed at once, the attempt is
 * recorded as interrupted, and nothing is retried. Without the cancel the call would hold the provider's connection
 * until the router's 50 s deadline.
 */
class EmbeddingsDisconnectTest {
  static final AtomicInteger received = new AtomicInteger();
  static final AtomicInteger closed = new AtomicInteger();
  static HttpServer hanging;
  static AssembledGatewayHarness h;

  @BeforeAll
  static void up() {
    io.vertx.core.Vertx v = io.vertx.core.Vertx.vertx();
    // answers the health probe's model list; takes embeddings requests and never answers them
    hanging = GatewayHarness.await(v.createHttpServer().requestHandler(req -> {
      if (!req.path().equals("/api/embed")) {
        req.response().putHeader("content-type", "application/json").end("{\"models\":[{\"name\":\"nomic-embed-text:latest\"}]}");
        return;
      }
      received.incrementAndGet();
      req.connection().closeHandler(x -> closed.incrementAndGet());
    }).listen(0, "127.0.0.1"));
    h = new AssembledGatewayHarness("""
        resilience:
          timeouts: {connect_ms: 5000, first_token_ms: 40000, idle_ms: 40000, total_ms: 50000}
        providers:
          slow-embedder:
            kind: ollama
            base_url: http://127.0.0.1:%d
            api_prefix: ""
            models:
              nomic-embed-text: {context_window: 2048, input_usd_per_mtok: 0, output_usd_per_mtok: 0, capabilities: [embedding]}
        """.formatted(hanging.actualPort()), GatewayOptions.defaults().withPort(0).withEventLoops(2));
  }

  @AfterAll
  static void down() {
    h.close();
    hanging.close();
  }

  @Test
  void aClientThatHangsUpStopsTheEmbeddingsCall() throws Exception {
    String rid = "emb-gone-" + UUID.randomUUID();
    byte[] b = "{\"model\":\"slow-embedder/nomic-embed-text\",\"input\":[\"Acme: 400 staff\",\"Globex: 120 sellers\"]}"
        .getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket("127.0.0.1", h.gateway.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/embeddings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Authorization: Bearer " + AssembledGatewayHarness.ADMIN_KEY + "\r\nx-request-id: " + rid + "\r\n"
          + "Content-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      await().atMost(Duration.ofSeconds(30)).until(() -> received.get() == 1);
    } // gone, while the embedding server still works on it

    await().atMost(Duration.ofSeconds(10)).until(() -> closed.get() == 1);
    UsageRecord r = await().atMost(Duration.ofSeconds(10)).until(() -> {
      h.assembly.ledger().flush();
      List<UsageRecord> rows = h.assembly.ledger().queries().byRequestIdPrefix(rid);
      return rows.isEmpty() ? null : rows.get(0);
    }, Objects::nonNull);
    assertThat(r.outcome()).isEqualTo("interrupted");
    assertThat(r.provider()).isEqualTo("slow-embedder");
    // no retry after the cancel
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> received.get() == 1);
    assertThat(h.assembly.ledger().queries().byRequestIdPrefix(rid)).hasSize(1);
  }
}
