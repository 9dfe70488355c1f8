package dev.salesagent.router.budget;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The leases this replica holds in Redis under one identity ({@code id}, the field of its leases and the name of its
 * liveness key) and one Redis epoch. A generation ends when Redis says its leases are gone — the budget counters were
 * restored ({@link Loss#EPOCH}: the restore counted this replica's in-flight reservations as reserved) or its
 * liveness key expired so other replicas may have reclaimed its leases ({@link Loss#LIVENESS}) — and a new one, with a
 * new id, starts empty.
 */
final class LeaseGeneration {
  enum Loss { EPOCH, LIVENESS }

  final String id;
  final String liveKey;
  /** The Redis epoch its leases were granted under; null until the first script answers (a fresh generation). */
  volatile String epoch;
  volatile Loss lost;
  /**
   * Until when (System.nanoTime) claims may be taken on the leases without asking Redis: half the liveness key's
   * time to live after the last script that refreshed it was sent, so the key is surely there while claims are.
   */
  volatile long liveUntilNanos;
  /** {@code SharedRedis.disconnects()} when that script was sent: a connection lost since then stops local claims. */
  volatile long disconnectsSeen = -1;
  final Map<String, CounterLease> leases = new ConcurrentHashMap<>();
  private final AtomicLong scripts = new AtomicLong();

  LeaseGeneration(String id, String liveKey) {
    this.id = id;
    this.liveKey = liveKey;
  }

  /** A fresh name for the record that makes a script run at most once. */
  String nextScriptId() {
    return id + ":" + scripts.incrementAndGet();
  }

  boolean usable(long disconnectsNow) {
    return lost == null && epoch != null && disconnectsSeen == disconnectsNow && System.nanoTime() - liveUntilNanos < 0;
  }

  /** A script sent at {@code sentNanos} (with the connection count then) answered: the liveness key is fresh. */
  void confirmed(String epochNow, long sentNanos, long disconnectsAtSend, long ttlMs) {
    if (epoch == null) epoch = epochNow;
    long until = sentNanos + ttlMs * 500_000L;
    if (until - liveUntilNanos > 0) liveUntilNanos = until;
    disconnectsSeen = disconnectsAtSend;
  }

  /** Local claims go through Redis until a script answers again (Redis was down, or its state is in question). */
  void unconfirm() {
    liveUntilNanos = System.nanoTime();
  }
}
