package dev.salesagent.app.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchedConsoleAppenderTest {
  private final LoggerContext ctx = new LoggerContext();
  private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
  private final AtomicInteger writes = new AtomicInteger();
  private BatchedConsoleAppender appender;

  private Logger logger(long flushMillis, int maxBufferBytes) {
    ctx.setMDCAdapter(new LogbackMDCAdapter());
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(ctx);
    enc.setPattern("%X{requestId:-} %msg%n");
    enc.start();
    OutputStream counting = new OutputStream() {
      @Override public void write(int b) {
        sink.write(b);
      }

      @Override public void write(byte[] b, int off, int len) {
        writes.incrementAndGet();
        synchronized (sink) {
          sink.write(b, off, len);
        }
      }
    };
    appender = new BatchedConsoleAppender(() -> counting);
    appender.setContext(ctx);
    appender.setName("test");
    appender.setEncoder(enc);
    appender.setFlushMillis(flushMillis);
    appender.setMaxBufferBytes(maxBufferBytes);
    appender.start();
    Logger l = ctx.getLogger("access");
    l.setLevel(Level.INFO);
    l.setAdditive(false);
    l.addAppender(appender);
    return l;
  }

  @AfterEach
  void stop() {
    ctx.stop();
  }

  private String written() {
    synchronized (sink) {
      return sink.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aBatchIsWrittenSoonAfterItsFirstLineInOneWrite() {
    // the longest batch interval allowed (1 s): the burst of fifty lines must fit inside it, a busy machine included
    Logger log = logger(1000, 1 << 20);
    for (int i = 0; i < 50; i++) log.info("line {}", i);
    await().atMost(Duration.ofSeconds(30)).until(() -> written().contains("line 49"));
    assertThat(written().lines()).hasSize(50);
    assertThat(writes.get()).as("fifty lines logged in a burst reach the stream in one write").isEqualTo(1);
  }

  @Test
  void everyLineOfManyThreadsArrivesOnceAndInEachThreadsOrder() throws Exception {
    Logger log = logger(5, 4096);
    int threads = 8;
    int perThread = 2000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          ctx.getMDCAdapter().put("requestId", "t" + id);
          log.info("n={}", i);
        }
        ctx.getMDCAdapter().clear();
      });
      th.start();
      ts.add(th);
    }
    go.countDown();
    for (Thread th : ts) th.join();
    ctx.stop(); // writes what is left

    Map<String, Integer> next = new HashMap<>();
    List<String> lines = written().lines().toList();
    assertThat(lines).hasSize(threads * perThread);
    for (String line : lines) {
      String[] parts = line.split(" n=");
      int expected = next.getOrDefault(parts[0], 0);
      assertThat(Integer.parseInt(parts[1])).as("order of thread %s", parts[0]).isEqualTo(expected);
      next.put(parts[0], expected + 1);
    }
    assertThat(next).hasSize(threads).allSatisfy((k, v) -> assertThat(v).isEqualTo(perThread));
  }

  @Test
  void aThreadOverItsBufferLimitWritesItselfAndLosesNothing() {
    Logger log = logger(1000, 256); // the flusher would wait a second: only the limit can write this early
    for (int i = 0; i < 100; i++) log.info("a line long enough to fill the buffer quickly, number {}", i);
    assertThat(written().lines().count()).as("written by the logging thread before the batch is due").isGreaterThanOrEqualTo(95);
    ctx.stop();
    assertThat(written().lines()).hasSize(100);
  }

  @Test
  void stopWritesWhatIsBufferedAndLaterLinesAreIgnored() {
    Logger log = logger(1000, 1 << 20);
    log.info("before stop");
    assertThat(written()).isEmpty();
    appender.stop();
    assertThat(written()).isEqualTo(" before stop\n");
    log.info("after stop");
    assertThat(written()).isEqualTo(" before stop\n");
  }

  @Test
  void refusesToStartWithoutAnEncoderOrWithAnOddInterval() {
    BatchedConsoleAppender a = new BatchedConsoleAppender();
    a.setContext(ctx);
    a.start();
    assertThat(a.isStarted()).isFalse();
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(ctx);
    enc.setPattern("%msg%n");
    enc.start();
    a.setEncoder(enc);
    a.setFlushMillis(0);
    a.start();
    assertThat(a.isStarted()).isFalse();
    assertThat(ctx.getStatusManager().getCopyOfStatusList()).anySatisfy(s -> assertThat(s.getMessage()).contains("flushMillis"));
  }
}
