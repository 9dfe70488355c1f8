package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local HTTP server on 127.0.0.1 speaking the Anthropic ({@code /anthropic}), OpenAI-compatible
 * ({@code /openai}) and Ollama ({@code /ollama}) wire protocols, with latency and fault injection.
 * See {@code emulator/README.md} for the fault table.
 */
public final class Emulator {
  private static final Logger LOG = LoggerFactory.getLogger(Emulator.class);
  private static final Fault[] RANDOM_FAULTS = {Fault.RATE_LIMIT, Fault.OVERLOADED, Fault.SERVER_ERROR, Fault.STREAM_CUT};

  private final Vertx vertx;
  private final EmulatorOptions options;
  private final FaultScript faults = new FaultScript();
  private final EmulatorStats stats = new EmulatorStats();
  private final AnthropicProtocol anthropic = new AnthropicProtocol();
  private final OpenAiProtocol openai = new OpenAiProtocol();
  private final OllamaProtocol ollama;
  private final Random random;
  private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Long> timers = ConcurrentHashMap.newKeySet();
  private final List<String> deployments = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private int port;

  private Emulator(Vertx vertx, EmulatorOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.ollama = new OllamaProtocol(options);
    this.random = new Random(options.seed());
  }

  /** Starts the emulator on 127.0.0.1 ({@code options.port()} 0 = a free port). */
  public static Future<Emulator> start(Vertx vertx, EmulatorOptions options) {
    Emulator e = new Emulator(vertx, options == null ? EmulatorOptions.defaults() : options);
    Future<Object> warm = vertx.executeBlocking(() -> {
      warmUp();
      return null;
    }, false);
    return Future.all(warm, e.listen())
        .compose(x -> e.selfRequest())
        .map(v -> e);
  }

  private static volatile boolean warmedUp;
  /** Marks the internal warm-up request: not counted, never faulted. */
  private static final String WARM_UP_HEADER = "x-emulator-warm-up";

  /**
   * Runs every protocol's parse/answer/render path once (class loading, Jackson, regexes) so the first real
   * request is not hundreds of milliseconds slower than the rest (clients with tight first-token timeouts).
   */
  static void warmUp() {
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
        ChatRequest r = ps[i].parse(Wire.MAPPER.readTree(bodies[i]));
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

  /** One loopback request through the HTTP stack so its classes are loaded before the first client call. */
  private Future<Void> selfRequest() {
    io.vertx.core.http.HttpClient client = vertx.createHttpClient();
    return client.request(HttpMethod.POST, port, "127.0.0.1", "/ollama/api/chat")
        .compose(req -> req.putHeader(WARM_UP_HEADER, "1").send(Buffer.buffer("{\"model\":\"warm-up\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"warm\"}]}")))
        .compose(res -> res.body())
        .<Void>mapEmpty()
        .otherwiseEmpty()
        .eventually(() -> client.close());
  }

  /** One HTTP server instance; several share the port (Vert.x round-robins connections across event loops). */
  private final class ServerVerticle extends VerticleBase {
    private final int bindPort;
    HttpServer server;

    ServerVerticle(int bindPort) {
      this.bindPort = bindPort;
    }

    @Override
    public Future<?> start() {
      server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setTcpNoDelay(true).setIdleTimeout(0).setHandle100ContinueAutomatically(true));
      server.connectionHandler(c -> {
        connections.add(c);
        c.closeHandler(v -> connections.remove(c));
      });
      server.requestHandler(Emulator.this::handle);
      return server.listen(bindPort, "127.0.0.1");
    }
  }

  private Future<Void> listen() {
    int instances = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    if (options.port() != 0) return deploy(options.port(), instances);
    // Vert.x only shares a port among instances when it is fixed: pick a free one first (retry on a race).
    return deploy(freePort(), instances)
        .recover(e -> deploy(freePort(), instances))
        .recover(e -> deploy(0, 1));
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private Future<Void> deploy(int bindPort, int instances) {
    List<ServerVerticle> created = new java.util.concurrent.CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
          ServerVerticle v = new ServerVerticle(bindPort);
          created.add(v);
          return v;
        }, new DeploymentOptions().setInstances(bindPort == 0 ? 1 : instances))
        .map(id -> {
          deployments.add(id);
          port = created.get(0).server.actualPort();
          return null;
        });
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT/anthropic}: POST {base}/v1/messages, GET {base}/v1/models. */
  public String anthropicBaseUrl() {
    return "http://127.0.0.1:" + port + "/anthropic";
  }

  /** {@code http://127.0.0.1:PORT/openai/v1}: POST {base}/chat/completions, GET {base}/models. */
  public String openAiBaseUrl() {
    return "http://127.0.0.1:" + port + "/openai/v1";
  }

  /** {@code http://127.0.0.1:PORT/openai}: Cerebras-style root, POST {root}/v1/chat/completions. */
  public String openAiRootUrl() {
    return "http://127.0.0.1:" + port + "/openai";
  }

  /** {@code http://127.0.0.1:PORT/ollama}: POST {base}/api/chat, GET {base}/api/tags. */
  public String ollamaBaseUrl() {
    return "http://127.0.0.1:" + port + "/ollama";
  }

  public FaultScript faults() {
    return faults;
  }

  public EmulatorStats stats() {
    return stats;
  }

  public EmulatorOptions options() {
    return options;
  }

  /** Timers of delayed answers/streams still pending (for tests). */
  int pendingTimers() {
    return timers.size();
  }

  /** Open client connections (for tests). */
  int openConnections() {
    return connections.size();
  }

  /** Closes the servers, every open connection (including TIMEOUT/STREAM_STALL ones) and pending timers. */
  public Future<Void> close() {
    closed = true;
    for (Long t : timers) vertx.cancelTimer(t);
    timers.clear();
    List<Future<Void>> fs = new ArrayList<>();
    for (HttpConnection c : connections) fs.add(c.close().otherwiseEmpty());
    for (String id : deployments) fs.add(vertx.undeploy(id).otherwiseEmpty());
    deployments.clear();
    connections.clear();
    return Future.join(fs).otherwiseEmpty().mapEmpty();
  }

  // ---------------------------------------------------------------- routing

  private void handle(HttpServerRequest req) {
    String path = req.path();
    try {
      if (path.startsWith("/anthropic/")) {
        anthropic(req, path.substring("/anthropic".length()));
      } else if (path.startsWith("/openai/")) {
        openai(req, path.substring("/openai".length()));
      } else if (path.startsWith("/ollama/") || path.equals("/ollama")) {
        ollama(req, path.substring("/ollama".length()));
      } else if (path.equals("/_stats") && req.method() == HttpMethod.GET) {
        send(req, null, Protocol.Reply.json(200, stats.toJson().encode(), "application/json"));
      } else if (path.equals("/_reset") && req.method() == HttpMethod.POST) {
        stats.reset();
        faults.clear();
        send(req, null, Protocol.Reply.json(200, "{\"ok\":true}", "application/json"));
      } else if (path.equals("/_faults") && req.method() == HttpMethod.POST) {
        req.body().onSuccess(b -> controlFaults(req, b));
      } else if (path.equals("/") || path.equals("/_health")) {
        send(req, null, Protocol.Reply.json(200, "{\"status\":\"ok\",\"protocols\":[\"anthropic\",\"openai\",\"ollama\"]}", "application/json"));
      } else {
        send(req, null, Protocol.Reply.json(404, "{\"error\":\"not found\"}", "application/json"));
      }
    } catch (RuntimeException e) {
      LOG.warn("emulator: request {} {} failed", req.method(), path, e);
      if (!req.response().ended() && !req.response().headWritten()) {
        send(req, null, Protocol.Reply.json(500, "{\"error\":\"emulator internal error\"}", "application/json"));
      }
    }
  }

  private void anthropic(HttpServerRequest req, String sub) {
    HttpMethod m = req.method();
    if (m == HttpMethod.POST && sub.equals("/v1/messages")) {
      chat(anthropic, req, false);
    } else if (m == HttpMethod.GET && sub.equals("/v1/models")) {
      if (!anthropic.authorized(req)) send(req, anthropic, anthropic.unauthorized(req));
      else send(req, anthropic, Protocol.Reply.json(200, AnthropicProtocol.MODELS_LIST, AnthropicProtocol.JSON));
    } else if (m == HttpMethod.POST && sub.equals("/v1/messages/count_tokens")) {
      req.body().onSuccess(b -> {
        if (!anthropic.authorized(req)) {
          send(req, anthropic, anthropic.unauthorized(req));
          return;
        }
        try {
          ChatRequest r = parseCountTokens(b);
          send(req, anthropic, Protocol.Reply.json(200, "{\"input_tokens\":" + r.inputTokens() + "}", AnthropicProtocol.JSON));
        } catch (Protocol.BadRequest e) {
          send(req, anthropic, anthropic.badRequest(e.getMessage()));
        }
      });
    } else {
      send(req, anthropic, anthropic.notFoundPath(m.name(), sub));
    }
  }

  private ChatRequest parseCountTokens(Buffer b) throws Protocol.BadRequest {
    JsonNode json = readJson(b);
    if (json == null || !json.isObject()) throw new Protocol.BadRequest("invalid JSON body");
    com.fasterxml.jackson.databind.node.ObjectNode o = ((com.fasterxml.jackson.databind.node.ObjectNode) json).deepCopy();
    if (!o.has("max_tokens")) o.put("max_tokens", 1);
    return anthropic.parse(o);
  }

  private void openai(HttpServerRequest req, String sub) {
    HttpMethod m = req.method();
    if (m == HttpMethod.POST && (sub.equals("/v1/chat/completions") || sub.equals("/chat/completions"))) {
      chat(openai, req, false);
    } else if (m == HttpMethod.POST && sub.equals("/beta/chat/completions")) {
      chat(openai, req, true); // DeepSeek beta root: Chat Prefix Completion ("prefix": true) allowed
    } else if (m == HttpMethod.GET && (sub.equals("/v1/models") || sub.equals("/models"))) {
      if (!openai.authorized(req)) send(req, openai, openai.unauthorized(req));
      else send(req, openai, Protocol.Reply.json(200, OpenAiProtocol.MODELS_LIST, OpenAiProtocol.JSON));
    } else {
      send(req, openai, openai.notFoundPath(m.name(), sub));
    }
  }

  private void ollama(HttpServerRequest req, String sub) {
    HttpMethod m = req.method();
    if (m == HttpMethod.POST && sub.equals("/api/chat")) {
      chat(ollama, req, false);
    } else if (m == HttpMethod.GET && sub.equals("/api/tags")) {
      send(req, ollama, Protocol.Reply.json(200, OllamaProtocol.TAGS, OllamaProtocol.JSON));
    } else if (m == HttpMethod.GET && sub.equals("/api/version")) {
      send(req, ollama, Protocol.Reply.json(200, "{\"version\":\"0.13.0\"}", OllamaProtocol.JSON));
    } else if ((m == HttpMethod.GET || m == HttpMethod.HEAD) && (sub.isEmpty() || sub.equals("/"))) {
      send(req, ollama, Protocol.Reply.json(200, "Ollama is running", "text/plain; charset=utf-8"));
    } else {
      send(req, ollama, ollama.notFoundPath(m.name(), sub));
    }
  }

  private void controlFaults(HttpServerRequest req, Buffer body) {
    try {
      JsonObject o = body.length() == 0 ? new JsonObject() : new JsonObject(body);
      if (o.getBoolean("clear", false)) faults.clear();
      if (o.containsKey("retry_after")) faults.retryAfterSeconds(o.getInteger("retry_after"));
      String fs = o.getString("fault");
      if (fs != null) {
        Fault f = Fault.parse(fs);
        if (f == null) throw new IllegalArgumentException("unknown fault: " + fs);
        String protocol = o.getString("protocol", "*");
        String model = o.getString("model");
        if (o.getBoolean("always", false)) faults.always(protocol, f);
        else if (model != null) faults.nextForModel(model, f, o.getInteger("times", 1));
        else faults.next(protocol, f, o.getInteger("times", 1));
      }
      send(req, null, Protocol.Reply.json(200, new JsonObject().put("ok", true).put("pending", faults.pending()).encode(), "application/json"));
    } catch (RuntimeException e) {
      send(req, null, Protocol.Reply.json(400, new JsonObject().put("error", String.valueOf(e.getMessage())).encode(), "application/json"));
    }
  }

  // ---------------------------------------------------------------- chat

  private static JsonNode readJson(Buffer b) {
    try {
      return Wire.MAPPER.readTree(b.getBytes());
    } catch (Exception e) {
      return null;
    }
  }

  /** @param beta the request came on the OpenAI-compatible beta path, where DeepSeek's {@code "prefix": true} is accepted */
  private void chat(Protocol p, HttpServerRequest req, boolean beta) {
    req.body().onSuccess(b -> {
      try {
        chat(p, req, b, beta);
      } catch (RuntimeException e) {
        LOG.warn("emulator: {} chat failed", p.name, e);
        if (!req.response().headWritten()) send(req, p, Protocol.Reply.json(500, "{\"error\":\"emulator internal error\"}", "application/json"));
      }
    });
  }

  private void chat(Protocol p, HttpServerRequest req, Buffer body, boolean beta) {
    JsonNode json = readJson(body);
    String model = json != null && json.path("model").isTextual() ? json.get("model").asText() : "";
    boolean warmUp = req.getHeader(WARM_UP_HEADER) != null;
    if (!warmUp) stats.record(p.name, model);
    if (!p.authorized(req)) {
      send(req, p, p.unauthorized(req));
      return;
    }
    if (json == null || !json.isObject()) {
      send(req, p, p.badRequest(p == ollama ? "invalid character in JSON body" : "The request body is not valid JSON."));
      return;
    }
    ChatRequest r;
    try {
      r = p.parse(json);
    } catch (Protocol.BadRequest e) {
      send(req, p, p.badRequest(e.getMessage()));
      return;
    }
    if (r.prefixMode && !beta) {
      send(req, p, OpenAiProtocol.prefixNeedsBeta());
      return;
    }
    if (r.prefixMode && !warmUp) stats.recordPrefixCompletion();
    Fault fault = warmUp ? null : chooseFault(p.name, r.model, req);
    int retryAfter = faults.retryAfterSeconds();
    String ra = req.getHeader("x-emulator-retry-after");
    if (ra != null) {
      try {
        retryAfter = Math.max(0, Integer.parseInt(ra.trim()));
      } catch (NumberFormatException ignored) {
        // keep the script's value
      }
    }
    if (fault != null) stats.recordFault(p.name, fault);
    respond(p, req, r, fault, retryAfter, warmUp);
  }

  private Fault chooseFault(String protocol, String model, HttpServerRequest req) {
    Fault h = Fault.parse(req.getHeader("x-emulator-fault"));
    if (h != null) return h;
    Fault s = faults.take(protocol, model);
    if (s != null) return s;
    if (options.faultRate() > 0) {
      synchronized (random) {
        double d = random.nextDouble();
        int k = random.nextInt(RANDOM_FAULTS.length);
        if (d < options.faultRate()) return RANDOM_FAULTS[k];
      }
    }
    return null;
  }

  /** @param warmUp the start-up self-request: answered without the configured delays, so a start never waits for them */
  private void respond(Protocol p, HttpServerRequest req, ChatRequest r, Fault fault, int retryAfter, boolean warmUp) {
    if (fault != null) {
      switch (fault) {
        case RESET -> {
          req.connection().close();
          return;
        }
        case TIMEOUT -> {
          return; // never answer; the connection stays open until the client or close() ends it
        }
        case STREAM_CUT, STREAM_STALL, MALFORMED -> {
          // body-level faults: handled below
        }
        case STREAM_ERROR -> {
          if (!r.stream) {
            send(req, p, p.faultReply(fault, r, retryAfter));
            return;
          }
        }
        default -> {
          send(req, p, p.faultReply(fault, r, retryAfter));
          return;
        }
      }
    }
    Answer a = Answer.of(r);
    long firstTokenMs = warmUp ? 0 : options.firstTokenDelayMs();
    long interTokenMs = warmUp ? 0 : options.interTokenDelayMs();
    if (r.stream) stream(p, req, r, a, fault, firstTokenMs, interTokenMs);
    else whole(p, req, r, a, fault, firstTokenMs, interTokenMs);
  }

  private void later(long delayMs, Runnable action) {
    if (delayMs <= 0) {
      action.run();
      return;
    }
    long[] id = new long[1];
    id[0] = vertx.setTimer(delayMs, t -> {
      timers.remove(id[0]);
      if (!closed) action.run();
    });
    timers.add(id[0]);
  }

  private void whole(Protocol p, HttpServerRequest req, ChatRequest r, Answer a, Fault fault, long firstTokenMs, long interTokenMs) {
    long delay = firstTokenMs + interTokenMs * Math.max(0, a.outputTokens() - 1);
    Protocol.Reply ok = p.ok(r, a);
    later(delay, () -> {
      HttpServerResponse res = req.response();
      if (res.closed()) return;
      if (fault == null) {
        send(req, p, ok);
        return;
      }
      Buffer body = ok.body();
      Buffer half = body.slice(0, body.length() / 2);
      switch (fault) {
        case MALFORMED -> send(req, p, new Protocol.Reply(200, ok.headers(), half.copy()));
        case STREAM_CUT, STREAM_STALL -> {
          res.setStatusCode(200);
          headers(res, p, ok.headers());
          res.putHeader("content-length", Integer.toString(body.length()));
          Future<Void> w = res.write(half.copy());
          if (fault == Fault.STREAM_CUT) w.onComplete(x -> req.connection().close());
        }
        default -> send(req, p, ok);
      }
    });
  }

  private void stream(Protocol p, HttpServerRequest req, ChatRequest r, Answer a, Fault fault, long firstTokenMs, long interTokenMs) {
    Protocol.Frames f = p.frames(r, a);
    HttpServerResponse res = req.response();
    res.setStatusCode(200);
    res.putHeader("content-type", p.streamContentType());
    res.putHeader("cache-control", "no-cache");
    List<String[]> common = new ArrayList<>(1);
    p.commonHeaders(common);
    for (String[] h : common) res.putHeader(h[0], h[1]);
    res.setChunked(true);
    int n = f.pieces().size();
    int cut = fault == null ? -1 : n / 2;
    if (firstTokenMs <= 0 && interTokenMs <= 0) {
      Buffer all = Buffer.buffer(f.head().length() + n * 128 + f.tail().length());
      all.appendBuffer(f.head());
      for (int i = 0; i < n; i++) {
        if (i == cut) {
          if (fault == Fault.MALFORMED) {
            all.appendBuffer(p.malformedFrame());
          } else {
            finishFault(p, req, all, fault);
            return;
          }
        }
        all.appendBuffer(f.pieces().get(i));
      }
      if (cut == n && fault != Fault.MALFORMED) { // no pieces at all
        finishFault(p, req, all, fault);
        return;
      }
      if (cut == n) all.appendBuffer(p.malformedFrame());
      all.appendBuffer(f.tail());
      res.end(all);
      return;
    }
    if (f.head().length() > 0) res.write(f.head());
    else res.writeHead();
    new Streamer(p, req, f, fault, cut, interTokenMs).schedule(0, firstTokenMs);
  }

  /** Ends a stream at the cut point according to the fault; {@code soFar} holds everything not yet written. */
  private void finishFault(Protocol p, HttpServerRequest req, Buffer soFar, Fault fault) {
    HttpServerResponse res = req.response();
    switch (fault) {
      case STREAM_CUT -> {
        Future<Void> w = soFar.length() > 0 ? res.write(soFar) : (res.headWritten() ? Future.succeededFuture() : res.writeHead());
        w.onComplete(x -> req.connection().close());
      }
      case STREAM_STALL -> {
        if (soFar.length() > 0) res.write(soFar);
        else if (!res.headWritten()) res.writeHead();
      }
      case STREAM_ERROR -> res.end(soFar.appendBuffer(p.streamErrorFrame()));
      default -> res.end(soFar);
    }
  }

  private final class Streamer {
    final Protocol p;
    final HttpServerRequest req;
    final Protocol.Frames f;
    final Fault fault;
    final int cut;
    final long interTokenMs;

    Streamer(Protocol p, HttpServerRequest req, Protocol.Frames f, Fault fault, int cut, long interTokenMs) {
      this.p = p;
      this.req = req;
      this.f = f;
      this.fault = fault;
      this.cut = cut;
      this.interTokenMs = interTokenMs;
    }

    void schedule(int i, long delay) {
      later(delay, () -> step(i));
    }

    void step(int i) {
      HttpServerResponse res = req.response();
      if (res.closed() || closed) return;
      int n = f.pieces().size();
      if (i == cut) {
        if (fault == Fault.MALFORMED) {
          res.write(p.malformedFrame());
        } else {
          finishFault(p, req, Buffer.buffer(), fault);
          return;
        }
      }
      if (i >= n) {
        res.end(f.tail());
        return;
      }
      res.write(f.pieces().get(i));
      schedule(i + 1, interTokenMs);
    }
  }

  private static void headers(HttpServerResponse res, Protocol p, List<String[]> hs) {
    for (String[] h : hs) res.putHeader(h[0], h[1]);
    if (p != null) {
      List<String[]> common = new ArrayList<>(1);
      p.commonHeaders(common);
      for (String[] h : common) res.putHeader(h[0], h[1]);
    }
  }

  private static void send(HttpServerRequest req, Protocol p, Protocol.Reply reply) {
    HttpServerResponse res = req.response();
    if (res.closed() || res.ended()) return;
    res.setStatusCode(reply.status());
    headers(res, p, reply.headers());
    res.end(reply.body());
  }
}
