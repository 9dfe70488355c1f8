package dev.salesagent.router.routing;

import dev.salesagent.router.model.StreamEvent;

/** Receives a routed stream. Called on the Vert.x context that runs the request, never concurrently. */
public interface StreamObserver {

  /**
   * Called once, just before the first content event, with the target that produced it. {@code control} pauses and
   * resumes reading from the upstream so a slow client pushes back instead of growing memory.
   */
  default void onStart(Target target, StreamControl control) {}

  /** A content fragment; after a continuation the fragments of the next target follow seamlessly. */
  void onEvent(StreamEvent event);
}
