package dev.salesagent.router.routing;

/** Backpressure on a routed stream. */
public interface StreamControl {
  void pause();

  void resume();
}
