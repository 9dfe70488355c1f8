package dev.salesagent.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyAndCleanupTest extends EmulatorTestBase {

  @Test
  void scriptedFaultsAreConsumedExactlyOnceUnderConcurrency() throws Exception {
    emu.faults().next("*", Fault.OVERLOADED, 30);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<RawHttp.Result>> fs = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        int k = i;
        fs.add(pool.submit(() -> switch (k % 3) {
          case 0 -> anthropic(anthropicBody("claude-haiku-4-5", k % 2 == 0, "q" + k));
          case 1 -> openai(openAiBody("gpt-oss-120b", k % 2 == 0, "q" + k));
          default -> ollama(ollamaBody("llama3.2", k % 2 == 0, "q" + k));
        }));
      }
      int ok = 0, overloaded = 0;
      for (Future<RawHttp.Result> f : fs) {
        RawHttp.Result r = f.get(60, TimeUnit.SECONDS);
        if (r.status == 200 && r.complete) ok++;
        else if (r.status == 529 || r.status == 503) overloaded++;
      }
      assertThat(overloaded).isEqualTo(30);
      assertThat(ok).isEqualTo(90);
      assertThat(emu.stats().total("*")).isEqualTo(120);
      assertThat(emu.faults().pending()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void clientGoingAwayMidStreamStopsTheTimers() throws Exception {
    Vertx v = Vertx.vertx();
    Emulator slow = Emulator.start(v, EmulatorOptions.defaults().withInterTokenDelay(20)).await(30, TimeUnit.SECONDS);
    try {
      byte[] b = openAiBody("gpt-oss-120b", true, "go away early").toString().getBytes(StandardCharsets.UTF_8);
      try (Socket s = new Socket("127.0.0.1", slow.port())) {
        OutputStream out = s.getOutputStream();
        out.write(("POST /openai/v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer k\r\ncontent-type: application/json\r\ncontent-length: "
            + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[2048];
        assertThat(in.read(buf)).isPositive();
        // one timer for the next piece (read from this thread while the event loop swaps it for the following one)
        await().atMost(Duration.ofSeconds(30)).until(() -> slow.pendingTimers() == 1);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> slow.pendingTimers() == 0 && slow.openConnections() == 0);
      // and it still serves
      RawHttp.Result r = RawHttp.post(slow.port(), "/ollama/api/chat", Map.of(), ollamaBody("llama3.2", false, "x").toString(), 5000);
      assertThat(r.status).isEqualTo(200);
    } finally {
      slow.close().await(30, TimeUnit.SECONDS);
      v.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void keepAliveConnectionSurvivesErrorsAndStreams() throws Exception {
    try (Socket s = new Socket("127.0.0.1", emu.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (String fault : new String[] {"overloaded", null, "stream_error", "malformed", null}) {
        byte[] b = anthropicBody("claude-haiku-4-5", true, "keep alive").toString().getBytes(StandardCharsets.UTF_8);
        out.write(("POST /anthropic/v1/messages HTTP/1.1\r\nhost: x\r\nx-api-key: k\r\nanthropic-version: 2023-06-01\r\n"
            + (fault == null ? "" : "x-emulator-fault: " + fault + "\r\n")
            + "content-type: application/json\r\ncontent-length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
        // read one full response (content-length or chunked)
        java.io.ByteArrayOutputStream acc = new java.io.ByteArrayOutputStream();
        RawHttp.Result r = new RawHttp.Result();
        byte[] buf = new byte[4096];
        while (!r.complete) {
          int n = in.read(buf);
          assertThat(n).as("connection closed during " + fault).isPositive();
          acc.write(buf, 0, n);
          r = new RawHttp.Result();
          r.raw = acc.toByteArray();
          RawHttp.parse(r);
        }
        assertThat(r.status).isEqualTo(fault != null && fault.equals("overloaded") ? 529 : 200);
      }
    }
  }
}
