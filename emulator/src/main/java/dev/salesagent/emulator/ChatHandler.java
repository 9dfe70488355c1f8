package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat request, in the order a provider checks it: counted in the stats (once its body is read; warm-up requests
 * are not), authorised, parsed (a bad body is the protocol's 400), DeepSeek's prefix rule, then a fault is chosen and
 * the {@link ChatResponder} answers.
 */
final class ChatHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Emulator.class);

  private final EmulatorStats stats;
  private final FaultChooser faults;
  private final ChatResponder responder;

  ChatHandler(EmulatorStats stats, FaultChooser faults, ChatResponder responder) {
    this.stats = stats;
    this.faults = faults;
    this.responder = responder;
  }

  static JsonNode readJson(Buffer b) {
    try {
      return Wire.MAPPER.readTree(b.getBytes());
    } catch (Exception e) {
      return null;
    }
  }

  /** @param beta the request came on the OpenAI-compatible beta path, where DeepSeek's {@code "prefix": true} is accepted */
  void handle(Protocol p, HttpServerRequest req, boolean beta) {
    req.body().onSuccess(b -> {
      try {
        chat(p, req, b, beta);
      } catch (RuntimeException e) {
        LOG.warn("emulator: {} chat failed", p.name, e);
        if (!req.response().headWritten()) Replies.send(req, p, Protocol.Reply.json(500, "{\"error\":\"emulator internal error\"}", "application/json"));
      }
    });
  }

  private void chat(Protocol p, HttpServerRequest req, Buffer body, boolean beta) {
    JsonNode json = readJson(body);
    String model = json != null && json.path("model").isTextual() ? json.get("model").asText() : "";
    boolean warmUp = req.getHeader(EmulatorWarmUp.HEADER) != null;
    if (!warmUp) stats.record(p.name, model);
    if (!p.authorized(req)) {
      Replies.send(req, p, p.unauthorized(req));
      return;
    }
    if (json == null || !json.isObject()) {
      Replies.send(req, p, p.badRequest(p instanceof OllamaProtocol ? "invalid character in JSON body" : "The request body is not valid JSON."));
      return;
    }
    IncomingChat r;
    try {
      r = p.parse(json);
    } catch (Protocol.BadRequest e) {
      Replies.send(req, p, p.badRequest(e));
      return;
    }
    if (r.prefixMode && !beta) {
      Replies.send(req, p, OpenAiProtocol.prefixNeedsBeta());
      return;
    }
    if (r.prefixMode && !warmUp) stats.recordPrefixCompletion();
    Fault fault = warmUp ? null : faults.choose(p.name, r.model, req);
    int retryAfter = faults.retryAfterSeconds(req);
    if (fault != null) stats.recordFault(p.name, fault);
    responder.respond(p, req, r, fault, retryAfter, warmUp);
  }
}
