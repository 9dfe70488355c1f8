package dev.salesagent.store.lead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.model.Attempt;
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
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Answers like the emulators (schema instance from the last user message), reports every attempt to a sink. */
public final class SchemaFakeRouter implements LlmRouter {
  private final Vertx vertx;
  private final UsageSink sink;
  final AtomicInteger calls = new AtomicInteger();

  public SchemaFakeRouter(Vertx vertx, UsageSink sink) {
    this.vertx = vertx;
    this.sink = sink;
  }

  @Override
  public Future<RoutedResponse> chat(RouteRequest req) {
    int n = calls.incrementAndGet();
    String last = "";
    for (Message m : req.chat().messages()) if (m.role() == Role.USER) last = m.content();
    var js = (ResponseFormat.JsonSchema) req.chat().responseFormat();
    String text = instance(js.schema(), last.hashCode(), last.lines().filter(l -> !l.isBlank()).toList(), "$").toString();
    String provider = switch (req.task()) {
      case "qualification" -> "cerebras";
      case "research" -> "deepseek";
      default -> "anthropic";
    };
    List<Attempt> attempts = new ArrayList<>();
    if (n % 5 == 0) {
      sink.record(new UsageRecord(Instant.now(), req.requestId(), null, req.task(), provider, "m1", null, null, null, 0, 2, "rate_limited", 429, false));
      attempts.add(new Attempt(provider, "m1", "rate_limited", 429, 2));
      provider = "fallback";
    }
    double cost = (300 + text.length()) / 1e7;
    sink.record(new UsageRecord(Instant.now(), req.requestId(), null, req.task(), provider, "m1", 300, 0, text.length() / 4, cost, 7, "ok", 200, false));
    attempts.add(new Attempt(provider, "m1", "ok", 200, 7));
    var resp = new ChatResponse("r" + n, provider, "m1", text, null, List.of(), FinishReason.STOP, "stop", new Usage(300, text.length() / 4, 0), 7, null);
    return vertx.executeBlocking(() -> new RoutedResponse(req.requestId(), resp, req.task(), null, cost, attempts), false);
  }

  /** A valid instance of the derived-schema subset; strings are whole lines of the source (so quotes are found). */
  static JsonNode instance(JsonNode s, long seed, List<String> lines, String path) {
    var f = JsonNodeFactory.instance;
    long h = Math.abs((seed * 31 + path.hashCode()) % 1_000_003);
    if (s.has("enum")) {
      List<JsonNode> vals = new ArrayList<>();
      s.get("enum").forEach(v -> { if (!v.isNull()) vals.add(v); });
      return vals.get((int) (h % vals.size()));
    }
    String type = s.get("type").isArray() ? s.get("type").get(0).asText() : s.get("type").asText();
    switch (type) {
      case "object": {
        ObjectNode o = f.objectNode();
        s.get("properties").fields().forEachRemaining(e -> o.set(e.getKey(), instance(e.getValue(), seed, lines, path + "." + e.getKey())));
        return o;
      }
      case "array": {
        ArrayNode a = f.arrayNode();
        int n = Math.max(1, s.path("minItems").asInt(0));
        if (path.endsWith("disqualifiers")) n = 0;
        for (int i = 0; i < n; i++) a.add(instance(s.get("items"), seed, lines, path + "[" + i + "]"));
        return a;
      }
      case "integer":
        return f.numberNode(s.path("minimum").asLong(0) + h % (s.path("maximum").asLong(100) - s.path("minimum").asLong(0) + 1));
      default: {
        String line = lines.isEmpty() ? "x" : lines.get((int) (h % lines.size()));
        int max = s.path("maxLength").asInt(Integer.MAX_VALUE);
        if (line.length() > max) line = line.substring(0, max).strip();
        return f.textNode(line);
      }
    }
  }

  @Override
  public Future<RoutedResponse> stream(RouteRequest request, StreamObserver observer) {
    return Future.failedFuture(new UnsupportedOperationException());
  }
}
