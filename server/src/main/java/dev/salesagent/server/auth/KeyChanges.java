package dev.salesagent.server.auth;

import io.vertx.core.Future;

/**
 * How the replicas of a gateway tell each other that a key was created, changed or revoked, so each drops its copy
 * of the keys at once instead of at its next periodic reload. {@link #NONE} for a single process.
 */
public interface KeyChanges {
  /** What happened to a key. */
  enum Change {
    CREATED, CHANGED, REVOKED
  }

  /** Tells every replica that {@code keyId} had {@code change}; completes when the message is out. */
  Future<Void> announce(Change change, String keyId);

  /**
   * Runs {@code onChange} when a replica (this one included) announced a change, and {@code resync} when announcements
   * may have been missed.
   */
  void onChange(java.util.function.BiConsumer<Change, String> onChange, Runnable resync);

  KeyChanges NONE = new KeyChanges() {
    @Override
    public Future<Void> announce(Change change, String keyId) {
      return Future.succeededFuture();
    }

    @Override
    public void onChange(java.util.function.BiConsumer<Change, String> onChange, Runnable resync) {}
  };
}
