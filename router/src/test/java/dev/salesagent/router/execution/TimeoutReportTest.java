package dev.salesagent.router.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.routing.RoutedCall;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a timed-out harness wait reports must name the cause: the request's phase, a blocked loop, a swallowed throw. */
class TimeoutReportTest {
  EmulatorHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) h.close();
  }

  /** A stream that went silent after its content: the report shows the attempt streaming and its stream's timers. */
  RoutedCall stalledStream() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start("tasks:\n  qualification: {chain: [cerebras/gpt-oss-120b]}\n", null);
    h.emulator.faults().nextForModel("gpt-oss-120b", Fault.STREAM_STALL, 1);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    RoutedCall call = rt.router().startStream(RouterStreamingTest.qualification(), c);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !c.deltas.isEmpty());
    return call;
  }

  @Test
  void aWaitingRequestIsDescribedFromItsOwnLoop() {
    RoutedCall call = stalledStream();
    String report = TimeoutReport.of("the routed call", 60, h, call, StallMonitor.mark());
    assertThat(report.lines().findFirst().orElseThrow()) // the line a build log's summary shows
        .contains("the routed call did not complete within 60 s: on \"vert.x-eventloop-thread-")
        .contains("streaming, content received")
        .contains("unhandled handler exceptions: 0")
        .contains("the longest stall of this JVM during the wait was");
    assertThat(report)
        .contains("on \"vert.x-eventloop-thread-")
        .contains(": running; plan position 0 of 1")
        .contains("cerebras/gpt-oss-120b (retry 0, streaming, content received")
        .contains("stream open, result pending, content seen")
        .contains("timers idle deadline")
        .contains("\"gpt-oss-120b\":1") // what the emulator received
        .doesNotContain("DID NOT RUN");
    call.cancel();
  }

  @Test
  void aBlockedLoopIsNamedWithItsStack() throws Exception {
    RoutedCall call = stalledStream();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    ((RequestExecution) call).context().runOnContext(v -> {
      blocked.countDown();
      try {
        release.await(60, TimeUnit.SECONDS); // the blocked loop under test
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      assertThat(blocked.await(20, TimeUnit.SECONDS)).isTrue();
      String report = TimeoutReport.of("the routed call", 60, h, call, null);
      assertThat(report).contains("ITS EVENT LOOP DID NOT RUN A TASK").contains("read off its loop (may be stale): request ")
          .contains("lambda$aBlockedLoopIsNamedWithItsStack");
    } finally {
      release.countDown();
    }
    call.cancel();
  }

  @Test
  void aHandlerThatThrewIsReportedAndFailsTheTest() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    h.vertx.runOnContext(v -> {
      throw new IllegalStateException("thrown by a handler");
    });
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !h.unhandled.isEmpty());
    assertThat(TimeoutReport.of("x", 60, h, null, null)).contains("unhandled handler exceptions: 1")
        .contains("IllegalStateException: thrown by a handler");
    EmulatorHarness closing = h;
    h = null;
    AssertionError e = assertThrows(AssertionError.class, closing::close);
    assertThat(e.getMessage()).contains("nobody handled it").contains("thrown by a handler");
  }
}
