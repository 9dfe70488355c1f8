package dev.salesagent.router.health;

import io.vertx.core.Future;
import java.util.function.BiConsumer;

/**
 * How the replicas of a gateway share active health probes: each interval one replica (the holder of a lease per
 * provider) probes a provider and shares the outcome; the others record it instead of probing themselves.
 * {@link #LOCAL} for a single process: every lease is its own.
 */
public interface ProbeSync {
  /** A probe's outcome as {@link ProviderHealth#recordProbe} takes it. */
  record Outcome(boolean ok, Integer status, long latencyMs, String detail) {}

  /** The right to probe {@code provider} now, for {@code ttlMs}. A failed future: decide alone (probe). */
  Future<Boolean> lease(String provider, long ttlMs);

  /** Tells the other replicas what this replica's probe found. */
  void share(String provider, Outcome outcome);

  /** Runs {@code listener} for the outcomes other replicas share (never this replica's own). */
  void onShared(BiConsumer<String, Outcome> listener);

  ProbeSync LOCAL = new ProbeSync() {
    @Override
    public Future<Boolean> lease(String provider, long ttlMs) {
      return Future.succeededFuture(true);
    }

    @Override
    public void share(String provider, Outcome outcome) {}

    @Override
    public void onShared(BiConsumer<String, Outcome> listener) {}
  };
}
