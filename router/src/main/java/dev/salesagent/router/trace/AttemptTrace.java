package dev.salesagent.router.trace;

import dev.salesagent.router.model.Usage;

/** The span of one attempt, ended exactly once by its outcome. */
public interface AttemptTrace {

  AttemptTrace NONE = new AttemptTrace() {
    @Override
    public void succeeded(String responseModel, Usage usage) { }

    @Override
    public void failed(String errorType, Integer httpStatus, Usage usage) { }
  };

  /** Adds {@code gen_ai.response.model} and the reported {@code gen_ai.usage.input_tokens} / {@code output_tokens}. */
  void succeeded(String responseModel, Usage usage);

  /** Adds {@code error.type} (the error kind's wire name) and an error status, and whatever usage was reported. */
  void failed(String errorType, Integer httpStatus, Usage usage);
}
