package dev.salesagent.server.ops;

/** Whether the database answers (the readiness check). Blocking: the gateway calls it on a worker thread. */
@FunctionalInterface
public interface DatabaseCheck {
  boolean ping();
}
