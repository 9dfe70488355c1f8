package dev.salesagent.router.execution;

import static dev.salesagent.router.execution.EmulatorHarness.await;
import static dev.salesagent.router.execution.EmulatorHarness.awaitFailure;
import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.routing.RoutedResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stream cut at every point of its exchange — before the status line, inside the headers, right after them, with
 * content in the same read as the headers or in a later one, inside a chunk, after the terminator — by a FIN or by a
 * reset, against a raw loopback server that writes exact bytes. Each request must end through the transport's own
 * signal: the router's timers are long here (the harness's 20 s first-token and idle limits, 30 s deadline), and an
 * ending by one of them would say the cut was lost (a handler installed too late, an event nobody completes the
 * request on). The error names the transport ("connection lost mid-body", "connection closed before a response"),
 * never a silence.
 */
class StreamCutInterleavingTest {
  static final String DELTA = "data: {\"id\":\"c1\",\"model\":\"gpt-oss-120b\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi there. \"},\"finish_reason\":null}]}\n\n";
  static final String FINISH = "data: {\"id\":\"c1\",\"model\":\"gpt-oss-120b\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4}}\n\ndata: [DONE]\n\n";
  static final String HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
  static final String TWO_DELTAS = chunk(DELTA) + chunk(DELTA);

  EmulatorHarness h;
  NetServer server;

  @AfterEach
  void tearDown() {
    if (server != null) server.close();
    if (h != null) h.close();
  }

  static String chunk(String s) {
    return Integer.toHexString(s.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + s + "\r\n";
  }

  /** A router whose only target (cerebras) is the scripted server; no retries, so one attempt shows what one cut does. */
  RouterRuntime routerAgainst(boolean reset, Consumer<NetSocket> script) {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    // SO_LINGER 0: close() sends a reset instead of a FIN
    server = h.vertx.createNetServer(new NetServerOptions().setSoLinger(reset ? 0 : -1));
    server.connectHandler(so -> {
      Buffer in = Buffer.buffer();
      so.handler(b -> {
        in.appendBuffer(b);
        if (wholeRequest(in)) { // answer only once the request is read: unread bytes would turn a FIN into a reset
          so.handler(null);
          script.accept(so);
        }
      });
    });
    await(server.listen(0, "127.0.0.1"));
    h.envOverrides.put("CEREBRAS_BASE_URL", "http://127.0.0.1:" + server.actualPort());
    return h.start("resilience:\n  max_retries: 0\ntasks:\n  qualification: {chain: [cerebras/gpt-oss-120b]}\n", null);
  }

  static boolean wholeRequest(Buffer in) {
    String s = in.toString(StandardCharsets.ISO_8859_1);
    int end = s.indexOf("\r\n\r\n");
    if (end < 0) return false;
    int length = 0;
    for (String line : s.substring(0, end).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
    }
    return in.length() >= end + 4 + length;
  }

  /** Writes {@code parts} one write each (a later part after the earlier was flushed), then closes. */
  static Consumer<NetSocket> writesThenClose(String... parts) {
    return so -> write(so, parts, 0);
  }

  private static void write(NetSocket so, String[] parts, int i) {
    if (i == parts.length) {
      so.close();
      return;
    }
    so.write(parts[i]).onComplete(x -> write(so, parts, i + 1));
  }

  LlmException failure(RouterRuntime rt, EmulatorHarness.Collector c) {
    return (LlmException) awaitFailure(rt.router().startStream(RouterStreamingTest.qualification(), c));
  }

  @ParameterizedTest(name = "reset={0}")
  @ValueSource(booleans = {false, true})
  void cutWithContentInTheReadOfTheHeaders(boolean reset) {
    RouterRuntime rt = routerAgainst(reset, writesThenClose(HEAD + TWO_DELTAS));
    assertCutAfterContent(rt, reset);
  }

  @ParameterizedTest(name = "reset={0}")
  @ValueSource(booleans = {false, true})
  void cutWithContentInALaterRead(boolean reset) {
    RouterRuntime rt = routerAgainst(reset, writesThenClose(HEAD, TWO_DELTAS));
    assertCutAfterContent(rt, reset);
  }

  @ParameterizedTest(name = "reset={0}")
  @ValueSource(booleans = {false, true})
  void cutInsideAChunk(boolean reset) {
    RouterRuntime rt = routerAgainst(reset, writesThenClose(HEAD + TWO_DELTAS + chunk(DELTA).substring(0, 20)));
    assertCutAfterContent(rt, reset);
  }

  /**
   * Content was delivered (with a FIN it always is: the bytes precede the close; a reset may discard what was not
   * read yet), so no plain retry: the request fails {@code interrupted} after its one attempt.
   */
  private void assertCutAfterContent(RouterRuntime rt, boolean reset) {
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    LlmException e = failure(rt, c);
    assertEndedByTheTransport(e);
    assertEquals(1, e.attempts().size(), "one attempt: " + e.attempts());
    if (!reset) {
      assertEquals("Hi there. Hi there. ", c.text.toString());
      assertEquals(ErrorKind.INTERRUPTED, e.kind());
      assertTrue(e.getMessage().contains("no target could continue"), e.getMessage());
    }
  }

  @ParameterizedTest(name = "reset={0}")
  @ValueSource(booleans = {false, true})
  void cutRightAfterTheHeaders(boolean reset) {
    RouterRuntime rt = routerAgainst(reset, writesThenClose(HEAD));
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    LlmException e = failure(rt, c);
    assertEndedByTheTransport(e);
    assertEquals(1, e.attempts().size(), "one attempt: " + e.attempts());
    assertTrue(c.text.isEmpty());
  }

  @ParameterizedTest(name = "reset={0}")
  @ValueSource(booleans = {false, true})
  void cutInsideTheHeaders(boolean reset) {
    RouterRuntime rt = routerAgainst(reset, writesThenClose(HEAD.substring(0, 30)));
    LlmException e = failure(rt, new EmulatorHarness.Collector());
    assertEndedByTheTransport(e);
    assertEquals(ErrorKind.UNAVAILABLE, e.kind(), e.getMessage());
  }

  @ParameterizedTest(name = "reset={0}")
  @ValueSource(booleans = {false, true})
  void cutBeforeAnyResponse(boolean reset) {
    RouterRuntime rt = routerAgainst(reset, writesThenClose());
    LlmException e = failure(rt, new EmulatorHarness.Collector());
    assertEndedByTheTransport(e);
    assertEquals(ErrorKind.UNAVAILABLE, e.kind(), e.getMessage());
  }

  /** A cut after the terminator loses nothing: the answer was whole when the terminator arrived. */
  @Test
  void cutAfterTheTerminatorIsAnAnswer() {
    RouterRuntime rt = routerAgainst(false, writesThenClose(HEAD + TWO_DELTAS + chunk(FINISH)));
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    RoutedResponse r = await(rt.router().startStream(RouterStreamingTest.qualification(), c));
    assertEquals("Hi there. Hi there. ", r.response().text());
    assertEquals(r.response().text(), c.text.toString());
  }

  /** The transport's signal ended it, not a router timer (which would speak of silence or of no content in time). */
  private static void assertEndedByTheTransport(LlmException e) {
    String m = e.getMessage();
    assertTrue(m.contains("connection lost mid-body") || m.contains("connection closed before a response"),
        "ended by the transport's signal: " + m);
    assertNotEquals(ErrorKind.TIMEOUT, e.kind(), m);
  }
}
