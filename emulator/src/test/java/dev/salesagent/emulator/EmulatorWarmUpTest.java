package dev.salesagent.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The start's warm-up request is best-effort: whatever its server does, the start goes on. */
class EmulatorWarmUpTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** A server that reads the request and never answers: without a limit the start waited for good. */
  @Test
  void anUnansweredWarmUpRequestEndsAtItsLimit() throws Exception {
    AtomicReference<String> received = new AtomicReference<>("");
    NetServer silent = vertx.createNetServer().connectHandler(so -> so.handler(b -> received.updateAndGet(s -> s + b.toString(StandardCharsets.ISO_8859_1))));
    silent.listen(0, "127.0.0.1").await(20, TimeUnit.SECONDS);
    Future<Void> warmUp = EmulatorWarmUp.selfRequest(vertx, silent.actualPort(), 300);
    warmUp.await(20, TimeUnit.SECONDS); // completes (never fails) once the limit passed
    assertThat(warmUp.succeeded()).isTrue();
    assertThat(received.get()).startsWith("POST /ollama/api/chat").contains(EmulatorWarmUp.HEADER);
  }

  /** Headers and part of a body, then silence: no client timeout covers a body, the limit does. */
  @Test
  void aWarmUpAnswerWhoseBodyNeverEndsEndsAtItsLimit() throws Exception {
    NetServer stalling = vertx.createNetServer().connectHandler(so -> so.handler(b -> so.write(Buffer.buffer(
        "HTTP/1.1 200 OK\r\ncontent-type: application/x-ndjson\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n"))));
    stalling.listen(0, "127.0.0.1").await(20, TimeUnit.SECONDS);
    Future<Void> warmUp = EmulatorWarmUp.selfRequest(vertx, stalling.actualPort(), 300);
    warmUp.await(20, TimeUnit.SECONDS);
    assertThat(warmUp.succeeded()).isTrue();
  }

  @Test
  void anAnsweredWarmUpRequestCompletesTheStart() throws Exception {
    Emulator e = Emulator.start(vertx, EmulatorOptions.defaults()).await(20, TimeUnit.SECONDS);
    Future<Void> warmUp = EmulatorWarmUp.selfRequest(vertx, e.port(), TimeUnit.SECONDS.toMillis(60));
    warmUp.await(20, TimeUnit.SECONDS); // answered long before its limit
    assertThat(warmUp.succeeded()).isTrue();
    assertThat(e.stats().total("ollama")).as("the warm-up is not counted").isZero();
    e.close().await(20, TimeUnit.SECONDS);
  }
}
