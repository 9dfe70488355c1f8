package dev.salesagent.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.emulator.SchemaInstanceGenerator;
import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.routing.LlmRouter;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.routing.UsageSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-process {@link LlmRouter} for tests. By default it answers like the emulators (a schema instance derived
 * from the prompt with the emulator's own generator); a script function can override answers. Every call is
 * counted and reported to a {@link UsageSink} as the real router would.
 */
public class FakeRouter implements LlmRouter {
  public static final Map<String, String> PROVIDER_BY_TASK = Map.of(
      "qualification", "cerebras", "research", "deepseek", "content", "anthropic", "parsing", "ollama");

  private final Vertx vertx;
  private final UsageSink sink;
  private final long latencyMs;
  private volatile Function<RouteRequest, String> script;
  public final List<RouteRequest> requests = new CopyOnWriteArrayList<>();
  public final Map<String, AtomicInteger> callsByRequestId = new ConcurrentHashMap<>();
  public final AtomicInteger inFlight = new AtomicInteger();
  public final AtomicInteger maxInFlight = new AtomicInteger();
  /** Every n-th call first fails on its primary provider and falls back (0 = never). */
  public volatile int fallbackEvery;

  public FakeRouter(Vertx vertx, UsageSink sink, long latencyMs) {
    this.vertx = vertx;
    this.sink = sink == null ? UsageSink.NONE : sink;
    this.latencyMs = latencyMs;
  }

  public FakeRouter script(Function<RouteRequest, String> f) {
    this.script = f;
    return this;
  }

  public int calls() {
    return requests.size();
  }

  @Override
  public Future<RoutedResponse> chat(RouteRequest req) {
    requests.add(req);
    int n = requests.size();
    callsByRequestId.computeIfAbsent(req.requestId(), k -> new AtomicInteger()).incrementAndGet();
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    Promise<RoutedResponse> p = Promise.promise();
    Runnable answer = () -> {
      inFlight.decrementAndGet();
      String text = script != null ? script.apply(req) : emulate(req.chat());
      if (text == null) text = emulate(req.chat());
      String provider = PROVIDER_BY_TASK.getOrDefault(req.task(), "cerebras");
      Usage u = new Usage(100 + req.chat().messages().stream().mapToInt(m -> m.content().length() / 4).sum(), 50 + text.length() / 4, 0);
      double cost = (u.inputOrZero() * 0.5 + u.outputOrZero() * 1.5) / 1_000_000.0;
      List<Attempt> attempts = new java.util.ArrayList<>();
      if (fallbackEvery > 0 && n % fallbackEvery == 0) {
        sink.record(new UsageRecord(Instant.now(), req.requestId(), req.apiKeyId(), req.task(), provider, "m-" + provider, null, null, null, 0, 3, "overloaded", 503, false));
        attempts.add(new Attempt(provider, "m-" + provider, "overloaded", 503, 3));
        provider = "deepseek".equals(provider) ? "anthropic" : "deepseek";
      }
      sink.record(new UsageRecord(Instant.now(), req.requestId(), req.apiKeyId(), req.task(), provider, "m-" + provider, u.inputTokens(), 0, u.outputTokens(), cost, latencyMs, "ok", 200, false));
      attempts.add(new Attempt(provider, "m-" + provider, "ok", 200, latencyMs));
      ChatResponse r = new ChatResponse("id-" + n, provider, "m-" + provider, text, null, List.of(), FinishReason.STOP, "stop", u, latencyMs, null);
      p.complete(new RoutedResponse(req.requestId(), r, req.task(), null, attempts.size() > 1 ? cost : cost, attempts));
    };
    // an exception while answering fails the call instead of leaving it pending (a hung test)
    Runnable safe = () -> {
      try {
        answer.run();
      } catch (RuntimeException e) {
        p.tryFail(e);
      }
    };
    if (latencyMs > 0) vertx.setTimer(latencyMs, t -> safe.run());
    else vertx.runOnContext(v -> safe.run());
    return p.future();
  }

  /** The emulator's answer for a JSON-schema request: derived from the schema and the last user message. */
  public static String emulate(ChatRequest chat) {
    String last = "";
    for (Message m : chat.messages()) if (m.role() == Role.USER) last = m.content();
    String all = String.join("\n", chat.messages().stream().map(Message::content).toList());
    long seed = all.hashCode();
    if (chat.responseFormat() instanceof ResponseFormat.JsonSchema js) {
      JsonNode n = SchemaInstanceGenerator.generate(js.schema(), seed, last, all);
      return n.toString();
    }
    return "{}";
  }

  @Override
  public Future<RoutedResponse> stream(RouteRequest request, StreamObserver observer) {
    return Future.failedFuture(new UnsupportedOperationException("stream"));
  }
}
