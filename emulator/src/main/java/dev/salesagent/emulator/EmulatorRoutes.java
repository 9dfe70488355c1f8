package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which request goes where: {@code /anthropic}, {@code /openai} (also its DeepSeek beta root) and {@code /ollama} to
 * their protocol's endpoints (chat to the {@link ChatHandler}), and the control endpoints ({@code /_stats},
 * {@code /_reset}, {@code /_faults}, {@code /_health}); {@code /hubspot} to the {@link HubSpotRoutes}. Anything else is the protocol's (or a plain) 404.
 */
final class EmulatorRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(Emulator.class);

  private final AnthropicProtocol anthropic;
  private final OpenAiProtocol openai;
  private final OllamaProtocol ollama;
  private final FaultScript faults;
  private final EmulatorStats stats;
  private final ChatHandler chat;
  private final Embeddings embeddings;
  private final HubSpotRoutes hubspot;

  EmulatorRoutes(AnthropicProtocol anthropic, OpenAiProtocol openai, OllamaProtocol ollama, FaultScript faults,
                 EmulatorStats stats, ChatHandler chat, HubSpotRoutes hubspot) {
    this.anthropic = anthropic;
    this.openai = openai;
    this.ollama = ollama;
    this.faults = faults;
    this.stats = stats;
    this.chat = chat;
    this.hubspot = hubspot;
    this.embeddings = new Embeddings(stats, openai, ollama);
  }

  void handle(HttpServerRequest req) {
    String path = req.path();
    try {
      if (path.startsWith("/anthropic/")) {
        anthropic(req, path.substring("/anthropic".length()));
      } else if (path.startsWith("/openai/")) {
        openai(req, path.substring("/openai".length()));
      } else if (path.startsWith("/ollama/") || path.equals("/ollama")) {
        ollama(req, path.substring("/ollama".length()));
      } else if (path.startsWith("/hubspot/")) {
        hubspot.handle(req, path.substring("/hubspot".length()));
      } else if (path.equals("/_stats") && req.method() == HttpMethod.GET) {
        Replies.send(req, null, Protocol.Reply.json(200, stats.toJson().encode(), "application/json"));
      } else if (path.equals("/_reset") && req.method() == HttpMethod.POST) {
        stats.reset();
        faults.clear();
        hubspot.reset();
        Replies.send(req, null, Protocol.Reply.json(200, "{\"ok\":true}", "application/json"));
      } else if (path.equals("/_faults") && req.method() == HttpMethod.POST) {
        req.body().onSuccess(b -> controlFaults(req, b));
      } else if (path.equals("/") || path.equals("/_health")) {
        Replies.send(req, null, Protocol.Reply.json(200, "{\"status\":\"ok\",\"protocols\":[\"anthropic\",\"openai\",\"ollama\"]}", "application/json"));
      } else {
        Replies.send(req, null, Protocol.Reply.json(404, "{\"error\":\"not found\"}", "application/json"));
      }
    } catch (RuntimeException e) {
      LOG.warn("emulator: request {} {} failed", req.method(), path, e);
      if (!req.response().ended() && !req.response().headWritten()) {
        Replies.send(req, null, Protocol.Reply.json(500, "{\"error\":\"emulator internal error\"}", "application/json"));
      }
    }
  }

  private void anthropic(HttpServerRequest req, String sub) {
    HttpMethod m = req.method();
    if (m == HttpMethod.POST && sub.equals("/v1/messages")) {
      chat.handle(anthropic, req, false);
    } else if (m == HttpMethod.GET && sub.equals("/v1/models")) {
      if (!anthropic.authorized(req)) Replies.send(req, anthropic, anthropic.unauthorized(req));
      else Replies.send(req, anthropic, Protocol.Reply.json(200, AnthropicProtocol.MODELS_LIST, AnthropicProtocol.JSON));
    } else if (m == HttpMethod.POST && sub.equals("/v1/messages/count_tokens")) {
      req.body().onSuccess(b -> {
        if (!anthropic.authorized(req)) {
          Replies.send(req, anthropic, anthropic.unauthorized(req));
          return;
        }
        try {
          IncomingChat r = parseCountTokens(b);
          Replies.send(req, anthropic, Protocol.Reply.json(200, "{\"input_tokens\":" + r.inputTokens() + "}", AnthropicProtocol.JSON));
        } catch (Protocol.BadRequest e) {
          Replies.send(req, anthropic, anthropic.badRequest(e.getMessage()));
        }
      });
    } else {
      Replies.send(req, anthropic, anthropic.notFoundPath(m.name(), sub));
    }
  }

  private IncomingChat parseCountTokens(Buffer b) throws Protocol.BadRequest {
    JsonNode json = ChatHandler.readJson(b);
    if (json == null || !json.isObject()) throw new Protocol.BadRequest("invalid JSON body");
    com.fasterxml.jackson.databind.node.ObjectNode o = ((com.fasterxml.jackson.databind.node.ObjectNode) json).deepCopy();
    if (!o.has("max_tokens")) o.put("max_tokens", 1);
    return anthropic.parse(o);
  }

  private void openai(HttpServerRequest req, String sub) {
    HttpMethod m = req.method();
    if (m == HttpMethod.POST && (sub.equals("/v1/chat/completions") || sub.equals("/chat/completions"))) {
      chat.handle(openai, req, false);
    } else if (m == HttpMethod.POST && sub.equals("/beta/chat/completions")) {
      chat.handle(openai, req, true); // DeepSeek beta root: Chat Prefix Completion ("prefix": true) allowed
    } else if (m == HttpMethod.POST && (sub.equals("/v1/embeddings") || sub.equals("/embeddings"))) {
      embeddings.handleOpenAi(req);
    } else if (m == HttpMethod.GET && (sub.equals("/v1/models") || sub.equals("/models"))) {
      if (!openai.authorized(req)) Replies.send(req, openai, openai.unauthorized(req));
      else Replies.send(req, openai, Protocol.Reply.json(200, OpenAiProtocol.MODELS_LIST, OpenAiProtocol.JSON));
    } else {
      Replies.send(req, openai, openai.notFoundPath(m.name(), sub));
    }
  }

  private void ollama(HttpServerRequest req, String sub) {
    HttpMethod m = req.method();
    if (m == HttpMethod.POST && sub.equals("/api/chat")) {
      chat.handle(ollama, req, false);
    } else if (m == HttpMethod.POST && sub.equals("/api/embed")) {
      embeddings.handleOllama(req);
    } else if (m == HttpMethod.GET && sub.equals("/api/tags")) {
      Replies.send(req, ollama, Protocol.Reply.json(200, OllamaProtocol.TAGS, OllamaProtocol.JSON));
    } else if (m == HttpMethod.GET && sub.equals("/api/version")) {
      Replies.send(req, ollama, Protocol.Reply.json(200, "{\"version\":\"0.13.0\"}", OllamaProtocol.JSON));
    } else if ((m == HttpMethod.GET || m == HttpMethod.HEAD) && (sub.isEmpty() || sub.equals("/"))) {
      Replies.send(req, ollama, Protocol.Reply.json(200, "Ollama is running", "text/plain; charset=utf-8"));
    } else {
      Replies.send(req, ollama, ollama.notFoundPath(m.name(), sub));
    }
  }

  private void controlFaults(HttpServerRequest req, Buffer body) {
    try {
      JsonObject o = body.length() == 0 ? new JsonObject() : new JsonObject(body);
      if (o.getBoolean("clear", false)) faults.clear();
      if (o.containsKey("retry_after")) faults.retryAfterSeconds(o.getInteger("retry_after"));
      String fs = o.getString("fault");
      if (fs != null && "hubspot".equals(o.getString("protocol"))) {
        HubSpotEmulator.HubSpotFault hf = HubSpotEmulator.HubSpotFault.parse(fs);
        if (hf == null) throw new IllegalArgumentException("unknown HubSpot fault: " + fs + " (rate_limit|server_error|bad_gateway|unauthorized|partial_failure)");
        hubspot.state().nextOn(o.getString("endpoint"), hf, o.getInteger("times", 1));
      } else if (fs != null) {
        Fault f = Fault.parse(fs);
        if (f == null) throw new IllegalArgumentException("unknown fault: " + fs);
        String protocol = o.getString("protocol", "*");
        String model = o.getString("model");
        if (o.getBoolean("always", false)) faults.always(protocol, f);
        else if (model != null) faults.nextForModel(model, f, o.getInteger("times", 1));
        else faults.next(protocol, f, o.getInteger("times", 1));
      }
      Replies.send(req, null, Protocol.Reply.json(200, new JsonObject().put("ok", true).put("pending", faults.pending()).encode(), "application/json"));
    } catch (RuntimeException e) {
      Replies.send(req, null, Protocol.Reply.json(400, new JsonObject().put("error", String.valueOf(e.getMessage())).encode(), "application/json"));
    }
  }
}
