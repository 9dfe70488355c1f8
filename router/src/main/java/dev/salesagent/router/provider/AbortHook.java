package dev.salesagent.router.provider;

/**
 * How the router stops a call that has no {@link ChatStream} to cancel yet: a non-streaming call, or a stream still
 * waiting for its response headers. The adapter tells the hook, once its request is on a connection and going
 * upstream, what stops it (closing that connection); the router runs it when it abandons the call — and learns that
 * the request reached the provider, which decides whether an abandoned attempt is charged.
 */
@FunctionalInterface
public interface AbortHook {
  /** For calls nobody will abandon (probes, tests). */
  AbortHook NONE = abort -> {};

  /**
   * Called on the call's context once the request is on its way upstream, with what stops it. A hook whose call was
   * already abandoned runs {@code abort} at once.
   */
  void sent(Runnable abort);
}
