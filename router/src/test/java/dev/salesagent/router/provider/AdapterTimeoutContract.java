package dev.salesagent.router.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.StreamEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The timeout contract every adapter must pass (one subclass per adapter, in its provider's test package). The router
 * has no timers of its own around a call: an attempt is bounded only by what its adapter enforces from
 * {@link Timeouts#connectMs()} and the {@link CallContext} — connect ({@code unavailable}), response headers and first
 * token ({@code timeout}), silence mid-stream ({@code interrupted}), and the request's whole deadline
 * ({@code timeout}) — and by a cancelled stream settling its result. Runs against the emulator's latency and fault
 * modes over loopback.
 *
 * <p>No test asserts an upper bound on time: each limit under test is far below the others and below how long the
 * upstream would take, so a limit that did not fire shows as a different outcome (an answer, another error, or the
 * await running out) — whatever the machine's load.
 */
public abstract class AdapterTimeoutContract {
  /** Far above every limit under test: it never decides an outcome here. */
  static final long FAR = 60_000;
  /** A limit under test: short, but well above scheduling noise. */
  static final long LIMIT = 400;
  /**
   * The emulator's first-token latency where a slow upstream is under test: far above {@link #LIMIT}, and free (the
   * emulator's start does not wait for its latency, and its close ends the pending answer).
   */
  static final long SLOW = 20_000;

  protected Vertx vertx;
  private final List<Emulator> emulators = new ArrayList<>();
  private final List<ProviderAdapter> adapters = new ArrayList<>();

  /**
   * The adapter under test, built as its provider's configuration would build it, talking to the emulator (or a dead
   * listener) at {@code root} ({@code http://127.0.0.1:PORT}: the adapter adds its protocol's path, {@code /anthropic},
   * {@code /openai} or {@code /ollama}).
   */
  protected abstract ProviderAdapter adapter(Vertx vertx, String root, Timeouts timeouts);

  /** The emulator's name for the adapter's protocol ({@code anthropic}, {@code openai}, {@code ollama}), for faults. */
  protected abstract String protocol();

  protected abstract String model();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    adapters.forEach(ProviderAdapter::close);
    for (Emulator e : emulators) await(e.close());
    await(vertx.close());
  }

  // ---- connect ----

  /** A listener whose accept queue is full drops new connection attempts: only the connect timeout ends them. */
  @Test
  void connectTimeoutIsUnavailable() throws Exception {
    try (ServerSocket blackhole = new ServerSocket()) {
      blackhole.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
      List<Socket> fillers = fillAcceptQueue(blackhole);
      try {
        ProviderAdapter a = adapter(blackhole.getLocalPort(), new Timeouts(LIMIT, FAR, FAR, FAR));
        for (boolean stream : new boolean[] {false, true}) {
          long t0 = System.nanoTime();
          LlmException e = failure(call(a, stream, ctx(FAR, FAR, FAR), new CopyOnWriteArrayList<>()));
          assertThat(e.kind()).as("stream=%s: %s", stream, e.getMessage()).isEqualTo(ErrorKind.UNAVAILABLE);
          assertThat(elapsedMs(t0)).as("ended by the connect limit, not refused").isGreaterThanOrEqualTo(LIMIT - 5);
          assertThat(e.providerErrorType()).isEqualTo("connect_failed");
        }
      } finally {
        for (Socket s : fillers) s.close();
      }
    }
  }

  // ---- first byte / first token ----

  @Test
  void noResponseHeadersIsTimeout() throws Exception {
    Emulator emu = emulator(EmulatorOptions.defaults());
    ProviderAdapter a = adapter(emu.port(), timeouts());
    for (boolean stream : new boolean[] {false, true}) {
      emu.faults().next(protocol(), Fault.TIMEOUT, 1);
      List<StreamEvent> events = new CopyOnWriteArrayList<>();
      long t0 = System.nanoTime();
      LlmException e = failure(call(a, stream, ctx(FAR, LIMIT, FAR), events));
      assertThat(e.kind()).as("stream=%s: %s", stream, e.getMessage()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(e.providerErrorType()).isEqualTo("no_response");
      assertThat(elapsedMs(t0)).as("fired by the first-token limit, not before it").isGreaterThanOrEqualTo(LIMIT - 5);
      assertThat(events).isEmpty();
    }
  }

  /** The upstream answers 200 at once (a stream) but its first token, or its whole answer, comes too late. */
  @Test
  void slowFirstTokenIsTimeout() throws Exception {
    Emulator emu = emulator(EmulatorOptions.defaults().withLatency(SLOW));
    ProviderAdapter a = adapter(emu.port(), timeouts());
    for (boolean stream : new boolean[] {false, true}) {
      List<StreamEvent> events = new CopyOnWriteArrayList<>();
      LlmException e = failure(call(a, stream, ctx(FAR, LIMIT, FAR), events));
      assertThat(e.kind()).as("stream=%s: %s", stream, e.getMessage()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(e.providerErrorType()).isEqualTo(stream ? "first_token_timeout" : "no_response");
      assertThat(events).isEmpty();
    }
  }

  // ---- idle ----

  /** Content flowed, then silence with the connection open: a stall after content is {@code interrupted}. */
  @Test
  void silenceMidStreamIsInterrupted() throws Exception {
    Emulator emu = emulator(EmulatorOptions.defaults().withInterTokenDelay(1));
    ProviderAdapter a = adapter(emu.port(), timeouts());
    emu.faults().next(protocol(), Fault.STREAM_STALL, 1);
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    LlmException e = failure(call(a, true, ctx(FAR, FAR, LIMIT), events));
    assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.INTERRUPTED);
    assertThat(e.providerErrorType()).isEqualTo("stream_stalled");
    assertThat(events).as("content was delivered before the stall").anyMatch(ev -> ev instanceof StreamEvent.TextDelta);
  }

  /** A non-streaming body that stops half way: the idle limit between reads holds for it too. */
  @Test
  void silenceMidBodyIsInterrupted() throws Exception {
    Emulator emu = emulator(EmulatorOptions.defaults());
    ProviderAdapter a = adapter(emu.port(), timeouts());
    emu.faults().next(protocol(), Fault.STREAM_STALL, 1);
    LlmException e = failure(call(a, false, ctx(FAR, FAR, LIMIT), new CopyOnWriteArrayList<>()));
    assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.INTERRUPTED);
    assertThat(e.providerErrorType()).isEqualTo("body_stalled");
  }

  /** Our own pause is not upstream silence: a stream paused for longer than the idle limit resumes and completes. */
  @Test
  void pausedStreamIsNotIdle() throws Exception {
    Emulator emu = emulator(EmulatorOptions.defaults().withInterTokenDelay(2));
    ProviderAdapter a = adapter(emu.port(), timeouts());
    ChatStream[] holder = new ChatStream[1];
    Promise<Void> resumed = Promise.promise();
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    ChatStream s = await(onLoop(vertx, () -> a.stream(model(), request(), ctx(FAR, FAR, LIMIT), ev -> {
      events.add(ev);
      if (events.size() == 1) {
        holder[0].pause();
        vertx.setTimer(3 * LIMIT, id -> {
          holder[0].resume();
          resumed.complete();
        });
      }
    }).map(cs -> holder[0] = cs)));
    ChatResponse r = await(s.result());
    assertThat(resumed.future().isComplete()).as("it was paused for longer than the idle limit").isTrue();
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
  }

  // ---- the request's deadline ----

  /** Tokens keep coming, each within the idle limit, but the request's deadline passes first. */
  @Test
  void deadlineHoldsMidStream() throws Exception {
    Emulator emu = emulator(EmulatorOptions.defaults().withInterTokenDelay(LIMIT / 4));
    ProviderAdapter a = adapter(emu.port(), timeouts());
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    long t0 = System.nanoTime();
    LlmException e = failure(call(a, true, ctx(3 * LIMIT, FAR, FAR), events));
    assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(e.providerErrorType()).isEqualTo("deadline");
    assertThat(elapsedMs(t0)).isGreaterThanOrEqualTo(3 * LIMIT - 5);
    assertThat(events).as("content flowed until the deadline").anyMatch(ev -> ev instanceof StreamEvent.TextDelta);
  }

  /** A non-streaming body that stalls half way with a generous idle limit: the deadline ends it. */
  @Test
  void deadlineHoldsMidBody() throws Exception {
    Emulator emu = emulator(EmulatorOptions.defaults());
    ProviderAdapter a = adapter(emu.port(), timeouts());
    emu.faults().next(protocol(), Fault.STREAM_STALL, 1);
    long t0 = System.nanoTime();
    LlmException e = failure(call(a, false, ctx(3 * LIMIT, FAR, FAR), new CopyOnWriteArrayList<>()));
    assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(e.providerErrorType()).isEqualTo("deadline");
    assertThat(elapsedMs(t0)).isGreaterThanOrEqualTo(3 * LIMIT - 5);
  }

  /** No headers ever, with a first-token limit above the deadline: the wait for headers ends at the deadline. */
  @Test
  void deadlineBoundsTheWaitForHeaders() throws Exception {
    Emulator emu = emulator(EmulatorOptions.defaults());
    ProviderAdapter a = adapter(emu.port(), timeouts());
    for (boolean stream : new boolean[] {false, true}) {
      emu.faults().next(protocol(), Fault.TIMEOUT, 1);
      long t0 = System.nanoTime();
      LlmException e = failure(call(a, stream, ctx(3 * LIMIT, FAR, FAR), new CopyOnWriteArrayList<>()));
      assertThat(e.kind()).as("stream=%s: %s", stream, e.getMessage()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(elapsedMs(t0)).isGreaterThanOrEqualTo(3 * LIMIT - 5);
    }
  }

  @Test
  void passedDeadlineFailsWithoutCalling() throws Exception {
    Emulator emu = emulator(EmulatorOptions.defaults());
    ProviderAdapter a = adapter(emu.port(), timeouts());
    CallContext expired = new CallContext("req-contract", System.nanoTime() - 1, FAR, FAR);
    for (boolean stream : new boolean[] {false, true}) {
      LlmException e = failure(call(a, stream, expired, new CopyOnWriteArrayList<>()));
      assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
    }
    assertThat(emu.stats().total(protocol())).isZero();
  }

  // ---- cancel ----

  /** The router relies on it: a cancelled stream settles its result, as {@code interrupted}, without any timer of its own. */
  @Test
  void cancelledStreamSettlesInterrupted() throws Exception {
    Emulator emu = emulator(EmulatorOptions.defaults().withInterTokenDelay(20));
    ProviderAdapter a = adapter(emu.port(), timeouts());
    ChatStream s = await(a.stream(model(), request(), ctx(FAR, FAR, FAR), ev -> {}));
    s.cancel(); // from a foreign thread: the stream hops to its own context
    LlmException e = failure(s.result());
    assertThat(e.kind()).isEqualTo(ErrorKind.INTERRUPTED);
    assertThat(e.providerErrorType()).isEqualTo("cancelled");
  }

  // ---- helpers ----

  private Emulator emulator(EmulatorOptions options) throws Exception {
    Emulator e = await(Emulator.start(vertx, options));
    emulators.add(e);
    return e;
  }

  private ProviderAdapter adapter(int port, Timeouts t) {
    ProviderAdapter a = adapter(vertx, "http://127.0.0.1:" + port, t);
    adapters.add(a);
    return a;
  }

  /** The connect limit is the one kept in settings; the others come with each call's context. */
  static Timeouts timeouts() {
    return new Timeouts(FAR, FAR, FAR, FAR);
  }

  static CallContext ctx(long totalMs, long firstTokenMs, long idleMs) {
    return CallContext.withTimeout("req-contract", totalMs, firstTokenMs, idleMs);
  }

  static ChatRequest request() {
    return ChatRequest.of(List.of(Message.system("You are terse."), Message.user("Write a short note to the sales team about the pipeline review.")));
  }

  private Future<ChatResponse> call(ProviderAdapter a, boolean stream, CallContext ctx, List<StreamEvent> events) {
    return stream ? a.stream(model(), request(), ctx, events::add).compose(ChatStream::result) : a.chat(model(), request(), ctx);
  }

  private static long elapsedMs(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  /** Connects until the listener's accept queue is full (it never accepts): the next connect is left unanswered. */
  private static List<Socket> fillAcceptQueue(ServerSocket s) throws IOException {
    List<Socket> out = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Socket c = new Socket();
      try {
        c.connect(s.getLocalSocketAddress(), 200);
        out.add(c);
      } catch (IOException full) {
        c.close();
        return out;
      }
    }
    return out;
  }

  /**
   * Runs {@code call} on an event loop of {@code vertx}. A stream started there has what the call's future is mapped to
   * (the stream in a holder its event handler uses) before its first event can arrive; started from the test's thread,
   * the mapping is attached only when that thread gets to it, which on a busy machine can be after the first events.
   */
  public static <T> Future<T> onLoop(Vertx vertx, Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    vertx.runOnContext(v -> call.get().onComplete(p));
    return p.future();
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) throw ex;
      throw e;
    }
  }

  static LlmException failure(Future<?> f) throws Exception {
    try {
      Object r = await(f);
      throw new AssertionError("expected a failure, got " + r);
    } catch (LlmException e) {
      return e;
    }
  }
}
