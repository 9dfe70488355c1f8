package dev.salesagent.server;

import dev.salesagent.server.anthropic.MessagesHandler;
import dev.salesagent.server.auth.AdminKeysHandler;
import dev.salesagent.server.console.ConsoleAssets;
import dev.salesagent.server.console.ConsoleHandler;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.Bodies;
import dev.salesagent.server.http.ConnectionGuards;
import dev.salesagent.server.http.HttpLimits;
import dev.salesagent.server.http.InvalidRequests;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.Responses;
import dev.salesagent.server.openai.ChatCompletionsHandler;
import dev.salesagent.server.responses.ResponsesHandler;
import dev.salesagent.server.openai.EmbeddingsHandler;
import dev.salesagent.server.ops.GatewayVertxMetrics;
import dev.salesagent.server.ops.OpsHandlers;
import dev.salesagent.server.ops.UsageHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.metrics.MetricsOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway: one {@link HttpServer} per event loop on the same port (Vert.x spreads connections), each
 * dispatching by path with a plain switch — no router framework on the hot path.
 *
 * <p>Endpoints: {@code POST /v1/chat/completions}, {@code POST /v1/messages}, {@code POST /v1/responses}, {@code POST /v1/embeddings}, {@code GET /v1/models},
 * {@code GET /v1/providers}, {@code GET /v1/usage}, {@code POST|GET /v1/admin/keys},
 * {@code DELETE /v1/admin/keys/{id}}, {@code GET /healthz}, {@code GET /readyz}, {@code GET /metrics}.
 */
public final class GatewayServer {
  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

  private final Vertx vertx;
  private final GatewayServices services;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  /** Extra endpoints (the sales API): tried before the 404; returns true when it took the request. */
  private final java.util.function.Predicate<HttpServerRequest> extra;
  private String deploymentId;
  private int actualPort;
  private final ConnectionGuards guards;

  private GatewayServer(Vertx vertx, GatewayServices services, java.util.function.Predicate<HttpServerRequest> extra) {
    this.vertx = vertx;
    this.services = services;
    this.extra = extra;
    this.guards = new ConnectionGuards(services.options().http(), serverOptions(services.options()), services.registry());
  }

  /** Vert.x's part of the limits: sizes, buffers, h2c. The timeouts are {@link ConnectionGuards}'. */
  static HttpServerOptions serverOptions(GatewayOptions o) {
    HttpLimits l = o.http();
    HttpServerOptions so = new HttpServerOptions().setHost(o.host()).setTcpNoDelay(true)
        // 100-continue is answered when the body is read, i.e. after the key was admitted (Bodies)
        .setHandle100ContinueAutomatically(false).setCompressionSupported(false).setIdleTimeout(0)
        .setMaxInitialLineLength(l.maxRequestLineBytes()).setMaxHeaderSize(l.maxHeaderBytes())
        .setHttp2ClearTextEnabled(l.h2c());
    if (l.sendBufferBytes() > 0) so.setSendBufferSize(l.sendBufferBytes());
    return so;
  }

  /** A Vert.x instance whose HTTP server meters ({@link GatewayVertxMetrics}) go to {@code registry}; none when null. */
  public static Vertx newVertx(PrometheusMeterRegistry registry, int eventLoops) {
    VertxOptions vo = new VertxOptions().setEventLoopPoolSize(Math.max(1, eventLoops)).setPreferNativeTransport(true)
        .setWarningExceptionTime(1).setWarningExceptionTimeUnit(TimeUnit.SECONDS);
    if (registry == null) return Vertx.vertx(vo);
    vo.setMetricsOptions(new MetricsOptions().setEnabled(true));
    GatewayVertxMetrics metrics = new GatewayVertxMetrics(registry);
    return Vertx.builder().with(vo).withMetrics(options -> metrics).build();
  }

  /** Starts listening on {@code options.host():options.port()} (port 0 = any free port). */
  public static Future<GatewayServer> start(Vertx vertx, GatewayServices services) {
    return start(vertx, services, null);
  }

  /** With extra endpoints ({@code extraOrNull} returns true when it served the request), e.g. the sales API. */
  public static Future<GatewayServer> start(Vertx vertx, GatewayServices services,
                                            java.util.function.Predicate<HttpServerRequest> extraOrNull) {
    GatewayServer g = new GatewayServer(vertx, services, extraOrNull);
    GatewayOptions o = services.options();
    Bodies.globalLimit(o.http().maxBufferedBodyBytes());
    int instances = Math.max(1, o.eventLoops());
    // Port 0: pick a free port first, so every instance binds the same one (Vert.x shares it between them).
    int port = o.port() != 0 ? o.port() : freePort(o.host());
    return vertx.deployVerticle(() -> g.new HttpVerticle(port), new DeploymentOptions().setInstances(instances))
        .map(id -> {
          g.deploymentId = id;
          g.actualPort = g.servers.get(0).actualPort();
          log.info("gateway listening on http://{}:{} ({} event loops)", o.host(), g.actualPort, instances);
          return g;
        });
  }

  public int port() { return actualPort; }

  /**
   * Graceful stop: no new connections; in-flight requests and streams get up to {@code grace} to finish, then their
   * connections are closed.
   */
  public Future<Void> shutdown(Duration grace) {
    List<Future<Void>> fs = servers.stream().map(s -> s.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS)).toList();
    // Never wait for ever: at the end of the grace every connection still open is closed from under Vert.x (whose
    // close waits for queued writes to flush — never, for a client that stopped reading), and a second later the
    // shutdown goes on whatever the servers say.
    io.vertx.core.Promise<Void> bounded = io.vertx.core.Promise.promise();
    long cut = vertx.setTimer(Math.max(1, grace.toMillis()), t -> guards.closeAll());
    long giveUp = vertx.setTimer(Math.max(1, grace.toMillis()) + 1_000, t -> {
      if (bounded.tryComplete()) log.warn("connections still open 1 s after the shutdown grace: going on without them");
    });
    Future.join(fs).onComplete(ar -> bounded.tryComplete());
    return bounded.future().compose(v -> {
      vertx.cancelTimer(cut);
      vertx.cancelTimer(giveUp);
      return deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId).otherwiseEmpty();
    }).onComplete(v -> guards.stop()).mapEmpty();
  }

  private static int freePort(String host) {
    try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return ss.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("no free port on " + host, e);
    }
  }

  private final class HttpVerticle extends VerticleBase {
    private final int port;

    HttpVerticle(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      GatewayOptions o = services.options();
      HttpServer server = vertx.createHttpServer(serverOptions(o)).requestHandler(new Dispatcher(vertx, services, extra))
          .invalidRequestHandler(new InvalidRequests(o.http())).connectionHandler(guards::install);
      return server.listen(port).onSuccess(servers::add);
    }
  }

  /** Routes by path and method. */
  static final class Dispatcher implements Handler<HttpServerRequest> {
    private final GatewayServices s;
    private final ChatCompletionsHandler chat;
    private final MessagesHandler messages;
    private final ResponsesHandler responses;
    private final EmbeddingsHandler embeddings;
    private final OpsHandlers ops;
    private final UsageHandler usage;
    private final AdminKeysHandler admin;
    private final ConsoleHandler console;
    private final java.util.function.Predicate<HttpServerRequest> extra;

    Dispatcher(Vertx vertx, GatewayServices s, java.util.function.Predicate<HttpServerRequest> extra) {
      this.s = s;
      this.extra = extra;
      this.chat = new ChatCompletionsHandler(s);
      this.messages = new MessagesHandler(s);
      this.responses = new ResponsesHandler(s);
      this.embeddings = new EmbeddingsHandler(s);
      this.ops = new OpsHandlers(vertx, s);
      this.usage = new UsageHandler(vertx, s);
      this.admin = new AdminKeysHandler(vertx, s);
      this.console = new ConsoleHandler(ConsoleAssets.bundled(), s.accessLog());
    }

    @Override
    public void handle(HttpServerRequest req) {
      String path = req.path();
      HttpMethod m = req.method();
      switch (path) {
        case "/v1/chat/completions", "/chat/completions" -> {
          if (m == HttpMethod.POST) chat.handle(req); else notAllowed(req, "POST");
        }
        case "/v1/embeddings", "/embeddings" -> {
          if (m == HttpMethod.POST) embeddings.handle(req); else notAllowed(req, "POST");
        }
        case "/v1/messages" -> {
          if (m == HttpMethod.POST) messages.handle(req); else notAllowed(req, "POST");
        }
        case "/v1/responses", "/responses" -> {
          if (m == HttpMethod.POST) responses.handle(req); else notAllowed(req, "POST");
        }
        case "/healthz" -> get(req, ops::healthz);
        case "/readyz" -> get(req, ops::readyz);
        case "/metrics" -> get(req, ops::metrics);
        case "/v1/models", "/models" -> get(req, ops::models);
        case "/v1/providers" -> get(req, ops::providers);
        case "/v1/usage" -> get(req, usage::handle);
        case "/v1/admin/keys" -> {
          if (m == HttpMethod.POST) admin.create(new ClientExchange(req, s.accessLog()));
          else get(req, admin::list);
        }
        default -> {
          if (path.startsWith("/v1/admin/keys/") && path.length() > "/v1/admin/keys/".length()) {
            String id = path.substring("/v1/admin/keys/".length());
            if (m == HttpMethod.DELETE) admin.revoke(new ClientExchange(req, s.accessLog()), id);
            else if (m == HttpMethod.PATCH) admin.update(new ClientExchange(req, s.accessLog()), id);
            else notAllowed(req, "PATCH, DELETE");
            return;
          }
          if (ConsoleHandler.matches(path)) {
            console.handle(req);
            return;
          }
          if (extra != null && extra.test(req)) return;
          ClientExchange x = new ClientExchange(req, s.accessLog());
          x.errorCode = "not_found";
          req.resume();
          Responses.sendOpenAiError(x.resp, ApiError.notFound("not_found", "no such endpoint: " + m + " " + path), x.requestId);
        }
      }
    }

    private void get(HttpServerRequest req, Handler<ClientExchange> h) {
      if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
        notAllowed(req, "GET");
        return;
      }
      h.handle(new ClientExchange(req, s.accessLog()));
    }

    private void notAllowed(HttpServerRequest req, String allowed) {
      ClientExchange x = new ClientExchange(req, s.accessLog());
      x.resp.putHeader("allow", allowed);
      Responses.sendOpenAiError(x.resp, new ApiError(405, "method_not_allowed",
          req.method() + " is not allowed on " + req.path() + ": use " + allowed, null, null, null), x.requestId);
    }
  }
}
