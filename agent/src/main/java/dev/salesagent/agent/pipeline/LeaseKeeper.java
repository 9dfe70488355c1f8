package dev.salesagent.agent.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's leases on a shared run ({@link Pipeline.SharedRun}): claims, completions and releases off the event
 * loop, and a timer that renews every lease the worker holds each third of the lease time, so a lead is kept as long
 * as the worker lives and is taken over by another worker at most one lease time after it died.
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final Vertx vertx;
  private final Pipeline.SharedRun shared;
  private final String runId;
  private final long renewTimer;

  LeaseKeeper(Vertx vertx, Pipeline.SharedRun shared, String runId) {
    this.vertx = vertx;
    this.shared = shared;
    this.runId = runId;
    long every = Math.max(100, shared.lease().toMillis() / 3);
    this.renewTimer = vertx.setPeriodic(every, id -> vertx.executeBlocking(
        () -> shared.runs().renew(runId, shared.worker(), shared.lease()), false)
        .onFailure(t -> log.warn("renewing the leases of run {} failed (retried in {} ms): {}", runId, every, t.toString())));
  }

  Future<Optional<String>> claim() {
    return vertx.executeBlocking(() -> shared.runs().claim(runId, shared.worker(), shared.lease()), false);
  }

  /** Blocking: does this worker still hold the lead (extending its lease)? */
  boolean holds(String leadId) {
    return shared.runs().holds(runId, leadId, shared.worker(), shared.lease());
  }

  /** The lead's ledger rows are written first: a lead marked done has all its rows in the database. */
  Future<Void> complete(String leadId) {
    return vertx.executeBlocking(() -> {
      shared.ledger().flush();
      shared.runs().complete(runId, leadId, shared.worker());
      return null;
    }, false);
  }

  Future<Void> release(String leadId) {
    return vertx.executeBlocking(() -> {
      shared.runs().release(runId, leadId, shared.worker());
      return null;
    }, false);
  }

  Future<Integer> remaining() {
    return vertx.executeBlocking(() -> shared.runs().remaining(runId), false);
  }

  /** Completes after the poll interval: the wait of a worker that found nothing to claim. */
  Future<Void> pause() {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, shared.poll().toMillis()), id -> p.complete());
    return p.future();
  }

  Future<Void> stop() {
    vertx.cancelTimer(renewTimer);
    return Future.succeededFuture();
  }
}
