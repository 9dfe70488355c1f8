package dev.salesagent.emulator;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms an emulator before its first client: every protocol's parse/answer/render path once per JVM, then one
 * loopback request through the HTTP stack. The loopback request carries {@link #HEADER}: it is neither counted nor
 * faulted.
 */
final class EmulatorWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(Emulator.class);

  private EmulatorWarmUp() {}

  private static volatile boolean warmedUp;
  /** Marks the internal warm-up request: not counted, never faulted. */
  static final String HEADER = "x-emulator-warm-up";

  /**
   * Runs every protocol's parse/answer/render path once (class loading, Jackson, regexes) so the first real
   * request is not hundreds of milliseconds slower than the rest (clients with tight first-token timeouts).
   */
  static void run() {
    if (warmedUp) return;
    try {
      String schema = "{\"type\":\"object\",\"required\":[\"a\",\"b\",\"c\"],\"properties\":{\"a\":{\"type\":\"string\",\"format\":\"email\"},"
          + "\"b\":{\"type\":\"array\",\"items\":{\"type\":\"integer\",\"minimum\":1}},\"c\":{\"enum\":[\"x\",\"y\"]}}}";
      String[] bodies = {
        "{\"model\":\"m\",\"max_tokens\":64,\"stream\":true,\"system\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"warm a@b.io\"}]}],"
            + "\"tools\":[{\"name\":\"t\",\"input_schema\":" + schema + "}],\"tool_choice\":{\"type\":\"tool\",\"name\":\"t\"}}",
        "{\"model\":\"m\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"warm\"},{\"role\":\"assistant\",\"content\":\"x\"}],\"stop_sequences\":[\"q\"]}",
        "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"warm\"}],"
            + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"n\",\"schema\":" + schema + "}}}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"warm\"}],\"format\":\"json\",\"options\":{\"num_predict\":5}}",
      };
      Protocol[] ps = {new AnthropicProtocol(), new AnthropicProtocol(), new OpenAiProtocol(), new OllamaProtocol(EmulatorOptions.defaults())};
      for (int i = 0; i < ps.length; i++) {
        IncomingChat r = ps[i].parse(Wire.MAPPER.readTree(bodies[i]));
        Answer a = Answer.of(r);
        ps[i].ok(r, a);
        ps[i].frames(r, a);
        for (Fault f : new Fault[] {Fault.RATE_LIMIT, Fault.OVERLOADED, Fault.NOT_FOUND}) ps[i].faultReply(f, r, 1);
      }
      new OpenAiProtocol().ok(new OpenAiProtocol().parse(Wire.MAPPER.readTree(bodies[0].replace("max_tokens\":64", "max_tokens\":3"))), Answer.of(
          new OpenAiProtocol().parse(Wire.MAPPER.readTree("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"w\"}]}"))));
      warmedUp = true;
    } catch (Exception e) {
      LOG.debug("emulator: warm-up failed", e);
    }
  }

  /**
   * How long a start waits for its loopback warm-up request. The request is best-effort and nothing else bounds it (a
   * plain client's connect timeout is 60 s; no timeout covers the response body, and a {@code body()} asked for after
   * the body arrived never completes), so an answer that never reached it held {@code Emulator.start} for good — seen
   * as the 60 s timeout of a router test's harness constructor, on CI and under load. Past the limit the start goes on
   * without the warm-up.
   */
  static final long SELF_REQUEST_LIMIT_MS = 5_000;

  /** One loopback request through the HTTP stack so its classes are loaded before the first client call. */
  static Future<Void> selfRequest(Vertx vertx, int port) {
    return selfRequest(vertx, port, SELF_REQUEST_LIMIT_MS);
  }

  /** As {@link #selfRequest(Vertx, int)}; completes (never fails) when the request ended or after {@code limitMs}. */
  static Future<Void> selfRequest(Vertx vertx, int port, long limitMs) {
    io.vertx.core.http.HttpClient client = vertx.createHttpClient();
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(limitMs, t -> {
      if (done.tryComplete()) LOG.warn("emulator: warm-up request unanswered after {} ms; started without it", limitMs);
    });
    client.request(HttpMethod.POST, port, "127.0.0.1", "/ollama/api/chat")
        // the body is asked for on the response future itself: a body() asked for once the body has arrived never
        // completes (Vert.x drops what no handler takes), so no hop may come between the response and body()
        .compose(req -> req.putHeader(HEADER, "1").send(Buffer.buffer("{\"model\":\"warm-up\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"warm\"}]}"))
            .compose(res -> res.body()))
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          if (ar.failed()) LOG.debug("emulator: warm-up request failed", ar.cause());
          done.tryComplete();
        });
    return done.future().eventually(() -> client.close());
  }
}
