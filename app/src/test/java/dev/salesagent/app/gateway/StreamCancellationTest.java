package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.server.GatewayOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that disconnects mid-stream stops the upstream call: the router cancels it, and the ledger records an
 * interrupted attempt at once, long before the stream would have ended — through both dialects.
 */
class StreamCancellationTest {
  static final String PROMPT = "Write a short outreach email to the VP of Sales at Acme about pipeline automation.";
  static AssembledGatewayHarness h;
  /** How long the whole answer takes to stream. */
  static long fullMs;

  @BeforeAll
  static void up() {
    // 100 ms between pieces: what is left of the stream after three of them takes seconds (timers never fire early),
    // so "recorded within 2 s of the client leaving" means the cancel, on a busy machine too
    h = new AssembledGatewayHarness("", GatewayOptions.defaults().withPort(0).withEventLoops(2),
        EmulatorOptions.defaults().withInterTokenDelay(100));
    long t0 = System.nanoTime();
    HttpResponse<String> full = h.post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY, openAiBody());
    fullMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(full.statusCode()).isEqualTo(200);
    assertThat(full.body()).contains("[DONE]");
    assertThat(fullMs).as("the answer streams slowly enough to leave in its middle").isGreaterThan(1500);
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static String openAiBody() {
    return "{\"model\":\"task:qualification\",\"stream\":true,\"max_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
  }

  static String anthropicBody() {
    return "{\"model\":\"task:qualification\",\"stream\":true,\"max_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
  }

  @Test
  void openAiClientLeavingMidStreamCancelsTheUpstream() throws Exception {
    leaveMidStream("/v1/chat/completions", openAiBody(), "chat.completion.chunk");
  }

  @Test
  void anthropicClientLeavingMidStreamCancelsTheUpstream() throws Exception {
    leaveMidStream("/v1/messages", anthropicBody(), "content_block_delta");
  }

  /** Sends a streaming request on a raw socket, reads until {@code marker} appeared 3 times, then closes it. */
  private void leaveMidStream(String path, String body, String marker) throws Exception {
    String rid = "cancel-" + UUID.randomUUID();
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    long t0;
    long closedAt;
    try (Socket s = new Socket("127.0.0.1", h.gateway.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Authorization: Bearer " + AssembledGatewayHarness.ADMIN_KEY + "\r\nx-request-id: " + rid + "\r\n"
          + "Content-Length: " + b.length + "\r\n\r\n";
      t0 = System.nanoTime();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder seen = new StringBuilder();
      byte[] buf = new byte[4096];
      while (count(seen, marker) < 3) {
        int n = in.read(buf);
        assertThat(n).as("the stream went on (got: %s)", seen).isPositive();
        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      assertThat(seen.toString()).startsWith("HTTP/1.1 200");
      closedAt = System.nanoTime();
    } // the client goes away here

    List<UsageRecord> rows = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
      h.assembly.ledger().flush();
      return h.assembly.ledger().queries().byRequestIdPrefix(rid);
    }, l -> !l.isEmpty());
    long recordedAfterCloseMs = (System.nanoTime() - closedAt) / 1_000_000;
    assertThat(rows).as("one attempt, recorded after the client left").hasSize(1);
    UsageRecord r = rows.get(0);
    assertThat(r.outcome()).isEqualTo("interrupted");
    assertThat(r.streamed()).isTrue();
    long streamedMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(recordedAfterCloseMs).as("recorded promptly, long before the stream's end").isLessThan(2000);
    assertThat(r.latencyMs()).as("the upstream stopped well before its end (%d ms)", fullMs).isLessThan(fullMs / 2);
    assertThat(streamedMs).isLessThan(fullMs);
  }

  private static int count(CharSequence s, String m) {
    int n = 0;
    for (int i = s.toString().indexOf(m); i >= 0; i = s.toString().indexOf(m, i + 1)) n++;
    return n;
  }
}
