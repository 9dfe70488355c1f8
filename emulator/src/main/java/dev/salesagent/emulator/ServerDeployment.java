package dev.salesagent.emulator;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulator's HTTP servers on 127.0.0.1: one instance per core (at most 4) sharing the port, Vert.x round-robin;
 * with port 0 a free port is picked first so the instances can share it. Tracks open connections so
 * {@link #close()} also ends the ones a fault left hanging.
 */
final class ServerDeployment {
  private final Vertx vertx;
  private final int requestedPort;
  private final Handler<HttpServerRequest> handler;
  private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
  private final List<String> deployments = new java.util.concurrent.CopyOnWriteArrayList<>();
  private int port;

  ServerDeployment(Vertx vertx, int requestedPort, Handler<HttpServerRequest> handler) {
    this.vertx = vertx;
    this.requestedPort = requestedPort;
    this.handler = handler;
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
      server.requestHandler(handler);
      return server.listen(bindPort, "127.0.0.1");
    }
  }

  /** Binds {@code options.port()}, or a free port when it is 0; completes with the servers listening. */
  Future<Void> listen() {
    int instances = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    if (requestedPort != 0) return deploy(requestedPort, instances);
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

  int port() {
    return port;
  }

  int openConnections() {
    return connections.size();
  }

  /** Closes every open connection and undeploys the servers. */
  Future<Void> close() {
    List<Future<Void>> fs = new ArrayList<>();
    for (HttpConnection c : connections) fs.add(c.close().otherwiseEmpty());
    for (String id : deployments) fs.add(vertx.undeploy(id).otherwiseEmpty());
    deployments.clear();
    connections.clear();
    return Future.join(fs).otherwiseEmpty().mapEmpty();
  }
}
