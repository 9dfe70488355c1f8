package dev.salesagent.agent.schema;

import java.util.List;

/**
 * The model's answer stayed invalid after the repair attempt (or was cut off): a clear failure with every
 * validation error and what the calls cost, never a half-filled result.
 */
public final class StructuredOutputException extends RuntimeException {
  private final String task;
  private final List<String> errors;
  private final String lastAnswer;
  private final int calls;
  private final double costUsd;
  private final String provider;
  private final String model;

  public StructuredOutputException(String task, String message, List<String> errors, String lastAnswer, int calls,
      double costUsd, String provider, String model) {
    super(message + (errors.isEmpty() ? "" : ": " + String.join("; ", errors.subList(0, Math.min(5, errors.size())))));
    this.task = task;
    this.errors = List.copyOf(errors);
    this.lastAnswer = lastAnswer;
    this.calls = calls;
    this.costUsd = costUsd;
    this.provider = provider;
    this.model = model;
  }

  public String task() { return task; }
  public List<String> errors() { return errors; }
  /** The last raw answer, for debugging (never shown to end users as a result). */
  public String lastAnswer() { return lastAnswer; }
  public int calls() { return calls; }
  public double costUsd() { return costUsd; }
  public String provider() { return provider; }
  public String model() { return model; }
}
