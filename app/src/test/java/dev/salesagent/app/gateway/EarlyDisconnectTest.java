package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.server.GatewayOptions;
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
 * A client that disconnects before the first token — streaming or not, through both dialects — stops the upstream
 * call at once: the router is cancelled from the moment it was called, not only once content arrives. The upstream
 * here takes 20 s to its first token and the router would wait 40 s for it, so the only way the attempt can end early
 * is the cancel; it is recorded as interrupted, charged the prompt estimate (flagged), and nothing follows it.
 */
class EarlyDisconnectTest {
  static final String PATIENT = """
      resilience:
        timeouts: {connect_ms: 5000, first_token_ms: 40000, idle_ms: 40000, total_ms: 50000}
      """;
  static AssembledGatewayHarness h;

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness(PATIENT, GatewayOptions.defaults().withPort(0).withEventLoops(2),
        EmulatorOptions.defaults().withLatency(20_000));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static String body(boolean stream) {
    return "{\"model\":\"task:qualification\",\"stream\":" + stream + ",\"max_tokens\":256,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Qualify Acme: 400 staff, VP Sales asked for a demo.\"}]}";
  }

  @Test
  void openAiStreamLeftBeforeTheFirstToken() throws Exception {
    leaveEarly("/v1/chat/completions", body(true), true);
  }

  @Test
  void anthropicStreamLeftBeforeTheFirstToken() throws Exception {
    leaveEarly("/v1/messages", body(true), true);
  }

  @Test
  void openAiPlainCallLeftBeforeTheAnswer() throws Exception {
    leaveEarly("/v1/chat/completions", body(false), false);
  }

  @Test
  void anthropicPlainCallLeftBeforeTheAnswer() throws Exception {
    leaveEarly("/v1/messages", body(false), false);
  }

  /** Sends the request on a raw socket, closes it once the upstream has it, then checks what the gateway did. */
  private void leaveEarly(String path, String body, boolean stream) throws Exception {
    String rid = "early-" + UUID.randomUUID();
    long upstreamBefore = upstreamCalls();
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket("127.0.0.1", h.gateway.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Authorization: Bearer " + AssembledGatewayHarness.ADMIN_KEY + "\r\nx-request-id: " + rid + "\r\n"
          + "Content-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      await().atMost(Duration.ofSeconds(30)).until(() -> upstreamCalls() == upstreamBefore + 1);
    } // the client goes away here, long before the first token

    // well within the 20 s the upstream takes to its first token: only a cancel ends the attempt this early
    UsageRecord r = await().atMost(Duration.ofSeconds(10)).until(() -> {
      h.assembly.ledger().flush();
      List<UsageRecord> rows = h.assembly.ledger().queries().byRequestIdPrefix(rid);
      return rows.isEmpty() ? null : rows.get(0);
    }, java.util.Objects::nonNull);
    assertThat(r.outcome()).isEqualTo("interrupted");
    assertThat(r.streamed()).isEqualTo(stream);
    assertThat(r.usageEstimated()).as("the provider had the prompt: charged its estimate, flagged").isTrue();
    assertThat(r.outputTokens()).isZero();
    assertThat(r.costUsd()).isPositive();
    // no retry, no fallback after the cancel
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> upstreamCalls() == upstreamBefore + 1);
    assertThat(h.assembly.ledger().queries().byRequestIdPrefix(rid)).hasSize(1);

    HttpResponse<String> usage = h.get("/v1/usage?group_by=outcome&request_id_prefix=" + rid, AssembledGatewayHarness.ADMIN_KEY);
    assertThat(usage.statusCode()).isEqualTo(200);
    assertThat(usage.body()).contains("\"outcome\":\"interrupted\"").contains("\"estimated_attempts\":1")
        .contains("\"input_tokens\":0").contains("\"estimated_input_tokens\":" + r.inputTokens());
  }

  private static long upstreamCalls() {
    return h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic") + h.emulator.stats().total("ollama");
  }
}
