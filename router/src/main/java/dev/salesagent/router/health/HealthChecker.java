package dev.salesagent.router.health;

import dev.salesagent.router.provider.CallContext;
import dev.salesagent.router.provider.ProbeResult;
import dev.salesagent.router.provider.ProviderAdapter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health probes: each configured provider's cheap endpoint ({@link ProviderAdapter#probe}) every
 * {@code interval} plus a random jitter, on Vert.x timers (never a thread of its own). Down providers keep being probed,
 * and the first good probe returns them to traffic. With a {@link ProbeSync} between replicas, each interval one replica
 * probes a provider (the one that gets the lease) and the others record what it shares, so a provider is probed once
 * per interval by the whole cluster, not once per replica.
 */
public final class HealthChecker {
  private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

  /** A provider to probe. */
  public record Probed(ProviderAdapter adapter, ProviderHealth health) {}

  private final Vertx vertx;
  private final List<Probed> probed;
  private final long intervalMs;
  private final long jitterMs;
  private final long probeTimeoutMs;
  private final List<Long> timers = new ArrayList<>();
  private volatile boolean stopped;
  private volatile ProbeSync sync = ProbeSync.LOCAL;

  public HealthChecker(Vertx vertx, List<Probed> probed, long intervalMs, long jitterMs, long probeTimeoutMs) {
    this.vertx = vertx;
    this.probed = List.copyOf(probed);
    this.intervalMs = intervalMs;
    this.jitterMs = jitterMs;
    this.probeTimeoutMs = probeTimeoutMs;
  }

  /** Shares the probes with the other replicas through {@code s}; call before {@link #start}. */
  public void share(ProbeSync s) {
    this.sync = s;
    s.onShared((provider, o) -> {
      for (Probed p : probed) {
        if (p.health().provider().equals(provider)) p.health().recordProbe(o.ok(), o.status(), o.latencyMs(), o.detail());
      }
    });
  }

  /** Probes every provider once now, then keeps probing; completes when the first round is done. */
  public Future<Void> start() {
    List<Future<Void>> first = new ArrayList<>();
    for (Probed p : probed) first.add(probeOnce(p).onComplete(ar -> schedule(p)));
    return Future.join(first).mapEmpty();
  }

  private synchronized void schedule(Probed p) {
    if (stopped) return;
    long jitter = jitterMs <= 0 ? 0 : ThreadLocalRandom.current().nextLong(jitterMs + 1);
    timers.add(vertx.setTimer(Math.max(1, intervalMs + jitter), id -> {
      synchronized (this) {
        timers.remove(id);
      }
      probeIfLeased(p).onComplete(ar -> schedule(p));
    }));
  }

  /** A scheduled probe: this replica's only when it gets the provider's lease for the interval (always alone). */
  private Future<Void> probeIfLeased(Probed p) {
    ProbeSync s = sync;
    if (s == ProbeSync.LOCAL) return probeOnce(p);
    // the lease outlives the interval's jitter a little less than an interval: the next round is contested afresh
    return s.lease(p.health().provider(), Math.max(1, intervalMs - 1)).transform(ar ->
        ar.failed() || Boolean.TRUE.equals(ar.result()) ? probeOnce(p) : Future.succeededFuture());
  }

  /** One probe of one provider; never fails (a failed probe is recorded as such). */
  public Future<Void> probeOnce(Probed p) {
    if (stopped) return Future.succeededFuture();
    Promise<Void> done = Promise.promise();
    long t0 = System.nanoTime();
    Future<ProbeResult> f;
    try {
      f = p.adapter().probe(CallContext.withTimeout("probe-" + p.health().provider(), probeTimeoutMs, probeTimeoutMs, probeTimeoutMs));
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (ar.succeeded()) {
        ProbeResult r = ar.result();
        p.health().recordProbe(r.ok(), r.status(), r.latencyMs(), r.detail());
        sync.share(p.health().provider(), new ProbeSync.Outcome(r.ok(), r.status(), r.latencyMs(), r.detail()));
      } else {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Throwable c = ar.cause();
        Integer status = c instanceof dev.salesagent.router.error.LlmException le ? le.httpStatus() : null;
        p.health().recordProbe(false, status, ms, c.getMessage());
        sync.share(p.health().provider(), new ProbeSync.Outcome(false, status, ms, c.getMessage()));
        log.debug("probe of {} failed: {}", p.health().provider(), c.getMessage());
      }
      done.complete();
    });
    return done.future();
  }

  public synchronized void stop() {
    stopped = true;
    for (Long id : timers) vertx.cancelTimer(id);
    timers.clear();
  }
}
