package dev.salesagent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.routing.LlmRouter;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamControl;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.routing.Target;
import dev.salesagent.server.auth.KeyRegistry;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ProviderStatusSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** SIGTERM semantics: a stream in flight when shutdown starts still finishes with [DONE]; new connections are refused. */
class GracefulShutdownTest {

  /** Streams 10 pieces 100 ms apart: the first at once, the other nine once {@link #go} is completed. */
  static final class SlowRouter implements LlmRouter {
    final Vertx vertx;
    /** Completed when the first piece is out: the stream is in flight. */
    final Promise<Void> started = Promise.promise();
    /** Lets the other nine pieces follow. */
    final Promise<Void> go = Promise.promise();

    SlowRouter(Vertx vertx) {
      this.vertx = vertx;
    }

    @Override
    public Future<RoutedResponse> chat(RouteRequest request) {
      return Future.succeededFuture(done(request));
    }

    RoutedResponse done(RouteRequest r) {
      ChatResponse c = new ChatResponse("x", "fake", "slow-1", "0123456789", null, List.of(), FinishReason.STOP, "stop",
          new Usage(5, 10, 0), 1000, 1L);
      return new RoutedResponse(r.requestId(), c, "content", null, 0.0001, List.of(new Attempt("fake", "slow-1", "ok", 200, 1000)));
    }

    @Override
    public Future<RoutedResponse> stream(RouteRequest request, StreamObserver observer) {
      Promise<RoutedResponse> p = Promise.promise();
      observer.onStart(new Target("fake", "slow-1"), new StreamControl() {
        @Override public void pause() {}
        @Override public void resume() {}
      });
      io.vertx.core.Context ctx = vertx.getOrCreateContext();
      ctx.runOnContext(first -> {
        observer.onEvent(new StreamEvent.TextDelta("0"));
        started.tryComplete();
      });
      int[] i = {1};
      go.future().onComplete(x -> ctx.runOnContext(v -> vertx.setPeriodic(100, id -> {
        observer.onEvent(new StreamEvent.TextDelta(Integer.toString(i[0])));
        if (++i[0] == 10) {
          vertx.cancelTimer(id);
          p.complete(done(request));
        }
      })));
      return p.future();
    }
  }

  @Test
  void inFlightStreamFinishesAndNewConnectionsAreRefused() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      RouterConfig cfg = ConfigLoader.loadYaml(null, null, Map.of());
      SlowRouter router = new SlowRouter(vertx);
      GatewayServices s = new GatewayServices(router, new ModelCatalog(cfg), ProviderStatusSource.fromConfig(cfg),
          new KeyRegistry(vertx, null, "sk-admin-xyz"), null, null, null, null, null,
          GatewayOptions.defaults().withPort(0).withEventLoops(1));
      GatewayServer server = GatewayHarness.await(GatewayServer.start(vertx, s));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
          .header("authorization", "Bearer sk-admin-xyz")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"auto\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .build();
      CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
      GatewayHarness.await(router.started.future()); // a stream is in flight, and it cannot end before go
      long t0 = System.nanoTime();
      Future<Void> shutdown = server.shutdown(Duration.ofSeconds(10));
      router.go.complete(); // nine more pieces, 100 ms apart: 900 ms at least that the shutdown must wait for
      GatewayHarness.await(shutdown);
      long tookMs = (System.nanoTime() - t0) / 1_000_000;
      HttpResponse<String> r = inFlight.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      List<String> data = GatewayHarness.sseData(r.body());
      assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
      assertThat(r.body()).contains("\"content\":\"9\"");
      assertThat(tookMs).as("waited for the stream, not for the 10 s grace").isGreaterThan(300).isLessThan(10_000);
      assertThat(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()))
          .failsWithin(Duration.ofSeconds(5));
    } finally {
      vertx.close();
    }
  }
}
