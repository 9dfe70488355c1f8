package dev.salesagent.router.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.provider.anthropic.AnthropicProvider;
import dev.salesagent.router.provider.ollama.OllamaProvider;
import dev.salesagent.router.provider.openai.OpenAiProvider;
import dev.salesagent.router.provider.registry.Providers;
import dev.salesagent.router.wire.WireJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The adapters over loopback against the protocol emulators: every provider style × streaming and non-streaming ×
 * every fault kind gives the right typed error (or answer).
 */
class AdapterEmulatorTest {
  static Vertx vertx;
  static Emulator emu;
  static List<Target> targets;

  /** One configured provider. */
  record Target(String name, String protocol, String model, ProviderAdapter adapter) {}

  /** The adapters' own settings (only connect_ms is theirs to use): generous, a busy machine is slow to connect too. */
  static final Timeouts TIMEOUTS = new Timeouts(5_000, 20_000, 20_000, 30_000);

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    emu = await(Emulator.start(vertx, EmulatorOptions.defaults()));
    targets = List.of(
        target("anthropic", AnthropicProvider.KIND, emu.anthropicBaseUrl(), "/v1", "anthropic", "claude-haiku-4-5"),
        target("cerebras", OpenAiProvider.KIND, emu.openAiRootUrl(), "/v1", "openai", "gpt-oss-120b"),
        target("deepseek", OpenAiProvider.KIND, emu.openAiBaseUrl(), "", "openai", "deepseek-flash"),
        target("ollama", OllamaProvider.KIND, emu.ollamaBaseUrl(), "", "ollama", "llama3.2"));
  }

  static Target target(String name, ProviderKind kind, String base, String prefix, String protocol, String model) {
    return target(vertx, name, kind, base, prefix, protocol, model);
  }

  static Target target(Vertx vx, String name, ProviderKind kind, String base, String prefix, String protocol, String model) {
    ProviderSettings s = settings(name, kind, base, prefix, kind == OllamaProvider.KIND ? null : new Secret("sk-test-" + name + "-0123456789"));
    return new Target(name, protocol, model, Providers.BUILT_IN.adapter(vx, s));
  }

  static ProviderSettings settings(String name, ProviderKind kind, String base, String prefix, Secret key) {
    return new ProviderSettings(name, kind, base, prefix, key, key == null ? null : name.toUpperCase() + "_API_KEY",
        Map.of(), TIMEOUTS, 0, 0, 0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (targets != null) targets.forEach(t -> t.adapter().close());
    if (emu != null) await(emu.close());
    if (vertx != null) await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) throw ex;
      throw e;
    }
  }

  /**
   * A call that should answer: generous limits, since on a busy machine (other builds beside this one) a loopback first
   * token can take seconds.
   */
  static CallContext ctx() {
    return CallContext.withTimeout("req-it", 30_000, 20_000, 20_000);
  }

  /**
   * The limits for a fault that only a timer ends: a short first-token wait for an upstream that never answers, a short
   * idle wait for a stream that stalls (its first token still has the generous wait, so a slow start is not mistaken for
   * the stall). Other faults answer at once and get {@link #ctx()}.
   */
  static CallContext ctx(Fault f) {
    return switch (f) {
      case TIMEOUT -> CallContext.withTimeout("req-it", 30_000, 800, 20_000);
      case STREAM_STALL -> CallContext.withTimeout("req-it", 30_000, 20_000, 400);
      default -> ctx();
    };
  }

  static ChatRequest request() {
    return ChatRequest.of(List.of(Message.system("You are terse."), Message.user("Say hello to the sales team.")));
  }

  /** A call's outcome: the answer, the events seen, or the error. */
  record Outcome(ChatResponse response, List<StreamEvent> events, Throwable error) {
    LlmException llm() {
      assertThat(error).as("expected an LlmException, got " + (response != null ? "an answer" : error)).isInstanceOf(LlmException.class);
      return (LlmException) error;
    }
  }

  static Outcome call(Target t, boolean stream, ChatRequest r) {
    return call(t, stream, r, ctx());
  }

  static Outcome call(Target t, boolean stream, ChatRequest r, CallContext ctx) {
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    Future<ChatResponse> f = stream
        ? t.adapter().stream(t.model(), r, ctx, events::add).compose(ChatStream::result)
        : t.adapter().chat(t.model(), r, ctx);
    try {
      return new Outcome(await(f), events, null);
    } catch (Exception e) {
      return new Outcome(null, events, e);
    }
  }

  static ErrorKind expectedKind(Fault f, String protocol, boolean stream) {
    return switch (f) {
      case RATE_LIMIT -> ErrorKind.RATE_LIMITED;
      case OVERLOADED -> ErrorKind.OVERLOADED;
      case SERVER_ERROR -> ErrorKind.UPSTREAM_ERROR;
      case RESET -> ErrorKind.UNAVAILABLE;
      case TIMEOUT -> ErrorKind.TIMEOUT;
      case STREAM_CUT, STREAM_STALL -> ErrorKind.INTERRUPTED;
      case MALFORMED -> stream ? ErrorKind.INTERRUPTED : ErrorKind.UPSTREAM_ERROR;
      case STREAM_ERROR -> protocol.equals("anthropic") ? ErrorKind.OVERLOADED : ErrorKind.UPSTREAM_ERROR;
      case UNAUTHORIZED -> ErrorKind.AUTHENTICATION;
      case NOT_FOUND -> ErrorKind.NOT_FOUND;
      case BAD_REQUEST, CONTEXT_LENGTH -> ErrorKind.INVALID_REQUEST;
      case CONTENT_FILTERED -> ErrorKind.CONTENT_FILTERED;
    };
  }

  @TestFactory
  Stream<DynamicTest> faultMatrix() {
    List<DynamicTest> out = new ArrayList<>();
    for (Target t : targets) {
      for (boolean stream : new boolean[] {false, true}) {
        for (Fault f : Fault.values()) {
          String name = t.name() + (stream ? " stream " : " chat ") + f;
          out.add(DynamicTest.dynamicTest(name, () -> {
            emu.faults().clear();
            emu.faults().next(t.protocol(), f, 1);
            Outcome o = call(t, stream, request(), ctx(f));
            emu.faults().clear();
            LlmException e = o.llm();
            assertThat(e.kind()).as(name + ": " + e.getMessage()).isEqualTo(expectedKind(f, t.protocol(), stream));
            assertThat(e.provider()).isEqualTo(t.name());
            assertThat(e.model()).isEqualTo(t.model());
            assertThat(e.requestId()).isEqualTo("req-it");
            assertThat(e.getMessage()).doesNotContain("sk-test-");
            if (f == Fault.CONTEXT_LENGTH) assertThat(e.contextLengthExceeded()).isTrue();
            if (f == Fault.BAD_REQUEST) assertThat(e.contextLengthExceeded()).isFalse();
            if (f == Fault.RATE_LIMIT) {
              assertThat(e.retryAfter()).isNotNull();
              assertThat(e.rateLimitHeaders()).containsKey("retry-after");
              assertThat(e.httpStatus()).isEqualTo(429);
            }
            if (f == Fault.CONTENT_FILTERED) assertThat(e.getMessage()).containsAnyOf("safety", "content filtering");
            if (stream && (f == Fault.STREAM_CUT || f == Fault.STREAM_STALL || f == Fault.MALFORMED)) {
              // the stream started: the input usage known so far rides on the error (not for Ollama: usage comes last)
              if (!t.protocol().equals("ollama") && !t.protocol().equals("openai")) {
                assertThat(e.partialUsage().inputTokens()).isNotNull();
              }
            }
          }));
        }
      }
    }
    return out.stream();
  }

  @TestFactory
  Stream<DynamicTest> happyPath() {
    List<DynamicTest> out = new ArrayList<>();
    for (Target t : targets) {
      for (boolean stream : new boolean[] {false, true}) {
        out.add(DynamicTest.dynamicTest(t.name() + (stream ? " stream" : " chat"), () -> {
          emu.faults().clear();
          Outcome o = call(t, stream, request());
          assertThat(o.error()).isNull();
          ChatResponse r = o.response();
          assertThat(r.text()).isNotBlank();
          assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
          assertThat(r.provider()).isEqualTo(t.name());
          assertThat(r.usage().inputTokens()).isPositive();
          assertThat(r.usage().outputTokens()).isPositive();
          assertThat(r.latencyMs()).isNotNegative();
          if (stream) {
            assertThat(r.timeToFirstTokenMs()).isNotNull();
            StringBuilder sb = new StringBuilder();
            for (StreamEvent ev : o.events()) if (ev instanceof StreamEvent.TextDelta d) sb.append(d.text());
            assertThat(sb.toString()).isEqualTo(r.text());
          } else {
            assertThat(r.timeToFirstTokenMs()).isNull();
          }
        }));
        out.add(DynamicTest.dynamicTest(t.name() + (stream ? " stream" : " chat") + " json schema", () -> {
          emu.faults().clear();
          ObjectNode schema = (ObjectNode) WireJson.parse(
              "{\"type\":\"object\",\"properties\":{\"company\":{\"type\":\"string\"},\"score\":{\"type\":\"integer\"}},\"required\":[\"company\",\"score\"]}");
          ChatRequest r = request().withResponseFormat(new ResponseFormat.JsonSchema("lead", schema, true));
          Outcome o = call(t, stream, r);
          assertThat(o.error()).isNull();
          JsonNode n = WireJson.parse(o.response().text());
          assertThat(n).as("json text: " + o.response().text()).isNotNull();
          assertThat(n.has("company")).isTrue();
          assertThat(o.response().finishReason()).isEqualTo(FinishReason.STOP);
          assertThat(o.response().toolCalls()).isEmpty();
        }));
      }
      out.add(DynamicTest.dynamicTest(t.name() + " probe", () -> {
        ProbeResult p = await(t.adapter().probe(ctx()));
        assertThat(p.ok()).as(String.valueOf(p.detail())).isTrue();
        assertThat(p.status()).isEqualTo(200);
      }));
    }
    return out.stream();
  }

  @Test
  void eventsArriveInOrderOnTheCallersContext() throws Exception {
    for (Target t : targets) {
      io.vertx.core.Context caller = vertx.getOrCreateContext();
      List<io.vertx.core.Context> seen = new CopyOnWriteArrayList<>();
      io.vertx.core.Promise<ChatResponse> done = io.vertx.core.Promise.promise();
      caller.runOnContext(v -> t.adapter().stream(t.model(), request(), ctx(), ev -> seen.add(io.vertx.core.Vertx.currentContext()))
          .compose(ChatStream::result).onComplete(done));
      ChatResponse r = await(done.future());
      assertThat(seen).as(t.name()).isNotEmpty().allSatisfy(c -> assertThat(c).isSameAs(caller));
      assertThat(r.text()).isNotBlank();
    }
  }

  @Test
  void connectionRefusedIsUnavailable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    for (ProviderKind kind : Providers.BUILT_IN.modules().stream().filter(m -> m.protocol() != null)
        .map(m -> m.protocol().kind()).toList()) {
      ProviderAdapter a = Providers.BUILT_IN.adapter(vertx, settings("closed", kind, "http://127.0.0.1:" + port, "", new Secret("k")));
      try {
        for (boolean stream : new boolean[] {false, true}) {
          Outcome o = call(new Target("closed", "x", "m", a), stream, request());
          assertThat(o.llm().kind()).as(kind + " " + stream).isEqualTo(ErrorKind.UNAVAILABLE);
          assertThat(o.llm().provider()).isEqualTo("closed");
        }
        ProbeResult p = await(a.probe(ctx()));
        assertThat(p.ok()).isFalse();
        assertThat(p.detail()).contains("unavailable");
      } finally {
        a.close();
      }
    }
  }

  @Test
  void probeReportsBadKey() throws Exception {
    ProviderAdapter a = Providers.BUILT_IN.adapter(vertx, settings("anthropic", AnthropicProvider.KIND, emu.anthropicBaseUrl(), "/v1", null));
    try {
      ProbeResult p = await(a.probe(ctx()));
      assertThat(p.ok()).isFalse();
      assertThat(p.status()).isEqualTo(401);
      assertThat(p.detail()).contains("authentication");
    } finally {
      a.close();
    }
  }

  @Test
  void pausedStreamStopsReadingAndResumes() throws Exception {
    Emulator slow = await(Emulator.start(vertx, EmulatorOptions.defaults().withInterTokenDelay(15)));
    ProviderAdapter a = Providers.BUILT_IN.adapter(vertx, settings("cerebras", OpenAiProvider.KIND, slow.openAiRootUrl(), "/v1", new Secret("k")));
    try {
      List<StreamEvent> events = new CopyOnWriteArrayList<>();
      ChatStream[] holder = new ChatStream[1];
      // pause from inside the first event, on the stream's own context
      // idle 1 s: the 2.5 s pause below is a stall if pausing is not understood, while a flowing stream's gaps stay far
      // below 1 s even on a busy machine
      ChatStream s = await(AdapterTimeoutContract.onLoop(vertx, () -> a.stream("gpt-oss-120b", request(),
          CallContext.withTimeout("bp", 30_000, 20_000, 1_000), ev -> {
            events.add(ev);
            if (events.size() == 1) holder[0].pause();
          }).map(cs -> holder[0] = cs)));
      // the events of the buffer being read when the pause came are still delivered; then nothing more arrives
      int[] last = {-1};
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
        int n = events.size();
        boolean settled = n > 0 && n == last[0];
        last[0] = n;
        return settled;
      });
      int seen = events.size();
      Thread.sleep(2_500); // the pause under test: longer than idleMs, and a paused stream must not count as stalled
      assertThat(events.size()).as("no events while paused").isEqualTo(seen);
      assertThat(s.result().isComplete()).isFalse();
      s.resume();
      ChatResponse r = await(s.result());
      assertThat(events.size()).isGreaterThan(seen);
      assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    } finally {
      a.close();
      await(slow.close());
    }
  }

  @Test
  void cancelledStreamFailsInterrupted() throws Exception {
    Emulator slow = await(Emulator.start(vertx, EmulatorOptions.defaults().withInterTokenDelay(20)));
    ProviderAdapter a = Providers.BUILT_IN.adapter(vertx, settings("anthropic", AnthropicProvider.KIND, slow.anthropicBaseUrl(), "/v1", new Secret("k")));
    try {
      ChatStream s = await(a.stream("claude-haiku-4-5", request(), ctx(), ev -> {}));
      s.cancel();
      Throwable t = null;
      try {
        await(s.result());
      } catch (Exception e) {
        t = e;
      }
      assertThat(t).isInstanceOf(LlmException.class);
      assertThat(((LlmException) t).kind()).isEqualTo(ErrorKind.INTERRUPTED);
    } finally {
      a.close();
      await(slow.close());
    }
  }

  @Test
  void slowFirstTokenIsTimeout() throws Exception {
    // the first token comes after 20 s, the call waits 800 ms for it: no busy machine turns that into an answer
    Emulator slow = await(Emulator.start(vertx, EmulatorOptions.defaults().withLatency(20_000)));
    ProviderAdapter a = Providers.BUILT_IN.adapter(vertx, settings("ollama", OllamaProvider.KIND, slow.ollamaBaseUrl(), "", null));
    try {
      Outcome o = call(new Target("ollama", "ollama", "llama3.2", a), true, request(), ctx(Fault.TIMEOUT));
      assertThat(o.llm().kind()).isEqualTo(ErrorKind.TIMEOUT);
    } finally {
      a.close();
      await(slow.close());
    }
  }
}
