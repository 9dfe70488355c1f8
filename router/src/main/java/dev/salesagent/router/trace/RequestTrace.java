package dev.salesagent.router.trace;

/**
 * One routed request's place in a trace: the parent its attempts' spans hang under. {@link #NONE} when tracing is off
 * (or the request has no traced caller and tracing is off).
 */
public interface RequestTrace {

  RequestTrace NONE = new RequestTrace() {
    @Override
    public TraceScope enter() { return TraceScope.NONE; }

    @Override
    public AttemptTrace attempt(String operation, String provider, String model, String task, boolean streaming) {
      return AttemptTrace.NONE;
    }
  };

  /**
   * Makes the request's parent current while the request's answer is handed over, so work the caller starts from that
   * callback (a repair call, the next step) stays in the caller's trace.
   */
  TraceScope enter();

  /**
   * The span of one attempt (kind CLIENT, named {@code "<operation> <model>"}), with the GenAI semantic-convention
   * attributes {@code gen_ai.operation.name} ({@code chat} or {@code embeddings}), {@code gen_ai.provider.name},
   * {@code gen_ai.request.model}.
   */
  AttemptTrace attempt(String operation, String provider, String model, String task, boolean streaming);
}
