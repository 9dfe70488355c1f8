package dev.salesagent.router.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.provider.CallContext;
import dev.salesagent.router.provider.ChatStream;
import dev.salesagent.router.provider.ProbeResult;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.provider.ProviderSettings;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Health probes shared between two replicas' checkers: the replica holding a provider's lease probes it every
 * interval, the other probes only at its start and otherwise records the outcomes the holder shares.
 */
class SharedProbesTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  /** Two replicas' view of one cluster: the lease always goes to {@code holder}; shares reach the other replica. */
  static final class Cluster {
    final List<BiConsumer<String, ProbeSync.Outcome>> listeners = new CopyOnWriteArrayList<>();

    ProbeSync member(boolean holder) {
      return new ProbeSync() {
        BiConsumer<String, Outcome> mine;

        @Override
        public Future<Boolean> lease(String provider, long ttlMs) {
          return Future.succeededFuture(holder);
        }

        @Override
        public void share(String provider, Outcome o) {
          for (BiConsumer<String, Outcome> l : listeners) if (l != mine) l.accept(provider, o);
        }

        @Override
        public void onShared(BiConsumer<String, Outcome> l) {
          mine = l;
          listeners.add(l);
        }
      };
    }
  }

  static final class FailingProvider implements ProviderAdapter {
    final AtomicInteger probes = new AtomicInteger();

    @Override public String name() { return "p"; }
    @Override public ProviderSettings settings() { return null; }
    @Override public Future<ChatResponse> chat(String model, ChatRequest request, CallContext ctx) { throw new UnsupportedOperationException(); }
    @Override public Future<ChatStream> stream(String model, ChatRequest request, CallContext ctx, Handler<StreamEvent> events) { throw new UnsupportedOperationException(); }
    @Override public Future<ProbeResult> probe(CallContext ctx) {
      probes.incrementAndGet();
      return Future.succeededFuture(new ProbeResult(false, 503, 1, "overloaded"));
    }
    @Override public void close() {}
  }

  @Test
  void theLeaseHolderProbesAndTheOtherReplicaRecordsWhatItShares() throws Exception {
    Cluster cluster = new Cluster();
    FailingProvider atA = new FailingProvider();
    FailingProvider atB = new FailingProvider();
    ProviderHealth healthA = new ProviderHealth("p", true, null, 3, 50);
    ProviderHealth healthB = new ProviderHealth("p", true, null, 3, 50);
    HealthChecker a = new HealthChecker(vertx, List.of(new HealthChecker.Probed(atA, healthA)), 50, 0, 1000);
    HealthChecker b = new HealthChecker(vertx, List.of(new HealthChecker.Probed(atB, healthB)), 50, 0, 1000);
    a.share(cluster.member(true));
    b.share(cluster.member(false));
    a.start().toCompletionStage().toCompletableFuture().get();
    b.start().toCompletionStage().toCompletableFuture().get();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> atA.probes.get() >= 5);
    a.stop();
    b.stop();
    // B probed once, at its start; the rest of what it knows came from A
    assertThat(atB.probes.get()).isEqualTo(1);
    assertThat(healthB.state()).isEqualTo(HealthState.DOWN);
    assertThat(healthB.lastProbe()).isNotNull();
  }
}
