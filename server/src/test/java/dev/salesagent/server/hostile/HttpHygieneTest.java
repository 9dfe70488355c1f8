package dev.salesagent.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.http.Bodies;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP hygiene against a real gateway on loopback, with the requests no well-behaved client sends: request smuggling
 * (Content-Length with Transfer-Encoding), repeated lengths, oversized lines and headers, trailing data after the JSON,
 * and large declared bodies without a key — each answered with the JSON error body, and closed where it must be.
 */
class HttpHygieneTest {
  static GatewayHarness h;
  static final String KEY = GatewayHarness.ADMIN_KEY;
  static final String CHAT = "{\"model\":\"task:qualification\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void up() {
    h = new GatewayHarness("", GatewayOptions.defaults().withPort(0).withEventLoops(2));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  private RawHttp raw() throws Exception {
    return new RawHttp(h.gateway.port());
  }

  @Test
  void contentLengthWithChunkedIsRefusedAndTheConnectionClosed() throws Exception {
    // A proxy trusting the length would forward one request; read as chunked it is two: the second must never run.
    String smuggled = "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\n\r\n";
    String body = "0\r\n\r\n" + smuggled;
    try (RawHttp c = raw()) {
      String out = c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
          + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body).readToClose();
      assertThat(out).startsWith("HTTP/1.1 400").contains("connection: close")
          .contains("\"code\":\"invalid_request\"").contains("Transfer-Encoding");
      assertThat(out.split("HTTP/1.1 ", -1)).as("exactly one response: the smuggled request was not served").hasSize(2);
    }
  }

  @Test
  void aTransferEncodingThatDoesNotEndInChunkedIsRefused() throws Exception {
    try (RawHttp c = raw()) {
      String out = c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY
          + "\r\nContent-Length: " + CHAT.length() + "\r\nTransfer-Encoding: gzip\r\n\r\n" + CHAT).readToClose();
      assertThat(out).startsWith("HTTP/1.1 400").contains("\"error\"").contains("chunked");
    }
  }

  @Test
  void repeatedContentLengthIsRefusedAndTheConnectionClosed() throws Exception {
    for (String lengths : List.of("Content-Length: 5\r\nContent-Length: 6", "Content-Length: 5\r\nContent-Length: 5",
        "Content-Length: 5, 5")) {
      try (RawHttp c = raw()) {
        String out = c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + lengths + "\r\n\r\nhello!").readToClose();
        assertThat(out).as(lengths).startsWith("HTTP/1.1 400").contains("\"code\":\"invalid_request\"");
      }
    }
  }

  @Test
  void oversizedRequestLineAndHeadersGetJsonBodies() throws Exception {
    try (RawHttp c = raw()) {
      String out = c.send("GET /v1/models?" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n").readToClose();
      assertThat(out).startsWith("HTTP/1.").contains(" 414 ").contains("\"code\":\"uri_too_long\"").contains("\"message\"");
    }
    try (RawHttp c = raw()) {
      String out = c.send("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n").readToClose();
      assertThat(out).startsWith("HTTP/1.").contains(" 431 ").contains("\"code\":\"headers_too_large\"");
    }
    try (RawHttp c = raw()) {
      String out = c.send("GET /v1/models HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n").readToClose();
      assertThat(out).startsWith("HTTP/1.").contains(" 400 ").contains("\"error\"");
    }
  }

  @Test
  void trailingDataAfterTheJsonBodyIsRefused() {
    HttpResponse<String> ok = h.post("/v1/chat/completions", KEY, CHAT);
    assertThat(ok.statusCode()).isEqualTo(200);
    for (String bad : List.of(CHAT + " {}", CHAT + "garbage", CHAT + "]")) {
      HttpResponse<String> r = h.post("/v1/chat/completions", KEY, bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.body()).contains("\"code\":\"invalid_request\"");
    }
    assertThat(h.post("/v1/chat/completions", KEY, CHAT + " \n\t").statusCode()).as("whitespace is fine").isEqualTo(200);
    assertThat(h.post("/v1/admin/keys", KEY, "{\"name\":\"x\"} {\"name\":\"y\"}").statusCode()).isEqualTo(400);
  }

  @Test
  void headerOnlySocketsWithHugeLengthsAndNoKeyBufferNothingAndAreCut() throws Exception {
    // 60 sockets that declare 8,000,000 bytes (just under the limit) and send none: before, each reserved 8 MB.
    List<RawHttp> socks = new ArrayList<>();
    try {
      for (int i = 0; i < Integer.getInteger("hostile.sockets", 30) * 2; i++) {
        socks.add(raw().send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 8000000\r\n\r\n"));
      }
      for (RawHttp c : socks) {
        String out = c.readToClose();
        assertThat(out).startsWith("HTTP/1.1 401").contains("connection: close").contains("\"code\":\"invalid_api_key\"");
      }
      assertThat(Bodies.buffered()).isZero();
      assertThat(h.get("/healthz", null).statusCode()).isEqualTo(200);
    } finally {
      for (RawHttp c : socks) c.close();
    }
  }

  @Test
  void aRefusedUploadIsNotReadToItsEnd() throws Exception {
    try (RawHttp c = raw()) {
      c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-wrong\r\n"
          + "Content-Type: application/json\r\nContent-Length: 6000000\r\n\r\n" + "x".repeat(64 * 1024));
      String head = c.readResponse();
      assertThat(head).startsWith("HTTP/1.1 401").contains("connection: close");
      // The server stops listening: the connection closes although 5.9 MB of the body were never sent.
      assertThat(c.closedByServer(10_000)).isTrue();
    }
  }

  @Test
  void expectContinueIsAnsweredOnlyForAnAdmittedKey() throws Exception {
    try (RawHttp c = raw()) {
      String out = c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-wrong\r\n"
          + "Expect: 100-continue\r\nContent-Length: " + CHAT.length() + "\r\n\r\n").readResponse();
      assertThat(out).startsWith("HTTP/1.1 401").doesNotContain("100 Continue");
    }
    try (RawHttp c = raw()) {
      c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\n"
          + "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " + CHAT.length() + "\r\n\r\n");
      assertThat(c.readResponse()).startsWith("HTTP/1.1 100 Continue");
      assertThat(c.send(CHAT).readResponse()).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void aBodyOverTheLimitIsRefusedWithoutReadingIt() throws Exception {
    try (RawHttp c = raw()) {
      c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\n"
          + "Content-Type: application/json\r\nContent-Length: 9000000\r\n\r\n");
      String out = c.readResponse();
      assertThat(out).startsWith("HTTP/1.1 413").contains("\"code\":\"request_too_large\"").contains("connection: close");
      await().atMost(Duration.ofSeconds(10)).until(() -> c.closedByServer(200));
    }
  }
}
