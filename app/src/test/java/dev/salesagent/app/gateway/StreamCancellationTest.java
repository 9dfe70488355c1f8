package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.server.GatewayOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
    h = new AssembledGatewayHarness("", GatewayOptions.defaults().withPort(0).withEventLoops(2),
        EmulatorOptions.defaults().withInterTokenDelay(40));
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
      s.setSoTimeout(10_000);
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

    UsageRecord r = null;
    while (System.nanoTime() - closedAt < 3_000_000_000L) {
      h.assembly.ledger().flush();
      List<UsageRecord> rows = h.assembly.ledger().queries().byRequestIdPrefix(rid);
      if (!rows.isEmpty()) {
        assertThat(rows).hasSize(1);
        r = rows.get(0);
        break;
      }
      Thread.sleep(20);
    }
    long recordedAfterCloseMs = (System.nanoTime() - closedAt) / 1_000_000;
    assertThat(r).as("the attempt is recorded soon after the client left").isNotNull();
    assertThat(r.outcome()).isEqualTo("interrupted");
    assertThat(r.streamed()).isTrue();
    long streamedMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(recordedAfterCloseMs).as("recorded promptly").isLessThan(1000);
    assertThat(r.latencyMs()).as("the upstream stopped well before its end (%d ms)", fullMs).isLessThan(fullMs / 2);
    assertThat(streamedMs).isLessThan(fullMs);
  }

  private static int count(CharSequence s, String m) {
    int n = 0;
    for (int i = s.toString().indexOf(m); i >= 0; i = s.toString().indexOf(m, i + 1)) n++;
    return n;
  }
}
