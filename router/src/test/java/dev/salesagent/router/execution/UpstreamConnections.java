package dev.salesagent.router.execution;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of the emulator that shows what the emulator sees of the router's connections: how many that
 * carried a chat call ({@code POST}) are still open. Connections that never did (health probes) are not counted, so "the
 * upstream connection of a cancelled call was closed" is {@code openCalls() == 0}.
 */
final class UpstreamConnections implements AutoCloseable {
  private final NetServer server;
  private final NetClient client;
  private final AtomicInteger openCalls = new AtomicInteger();
  private final AtomicInteger calls = new AtomicInteger();

  UpstreamConnections(Vertx vertx, int emulatorPort) {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(in -> relay(in, emulatorPort));
    try {
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("relay did not start", e);
    }
  }

  private void relay(NetSocket in, int port) {
    in.pause();
    client.connect(port, "127.0.0.1").onSuccess(out -> {
      boolean[] call = new boolean[1];
      in.handler(b -> {
        if (!call[0] && startsWithPost(b)) {
          call[0] = true;
          calls.incrementAndGet();
          openCalls.incrementAndGet();
        }
        out.write(b);
      });
      out.handler(in::write);
      in.closeHandler(v -> {
        if (call[0]) {
          call[0] = false;
          openCalls.decrementAndGet();
        }
        out.close();
      });
      out.closeHandler(v -> in.close());
      in.resume();
    }).onFailure(e -> in.close());
  }

  private static boolean startsWithPost(Buffer b) {
    return b.length() >= 5 && b.getString(0, 5).equals("POST ");
  }

  int port() { return server.actualPort(); }

  /** Connections that carried a chat call and are still open. */
  int openCalls() { return openCalls.get(); }

  /** Connections that carried a chat call, ever. */
  int calls() { return calls.get(); }

  @Override
  public void close() {
    server.close();
    client.close();
  }
}
