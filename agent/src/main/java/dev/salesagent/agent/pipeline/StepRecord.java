package dev.salesagent.agent.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * One step of one lead in one run, as stored.
 *
 * @param resultJson the result record as JSON ({@code done} only)
 * @param calls      router calls made (2 after a repair)
 * @param error      why it failed ({@code failed}), or why it was skipped
 */
public record StepRecord(
    String runId, String leadId, Step step, StepStatus status, String resultJson, String promptVersion,
    String provider, String model, double costUsd, int calls, long latencyMs, int fallbacks, String error,
    Instant startedAt, Instant finishedAt) {

  public StepRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(leadId, "leadId");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(status, "status");
    if (status == StepStatus.DONE && resultJson == null) throw new IllegalArgumentException("a done step needs its result");
    if (error != null && error.length() > 2000) error = error.substring(0, 2000);
  }

  public static StepRecord running(String runId, String leadId, Step step, Instant at) {
    return new StepRecord(runId, leadId, step, StepStatus.RUNNING, null, null, null, null, 0, 0, 0, 0, null, at, null);
  }

  public static StepRecord skipped(String runId, String leadId, Step step, String why, Instant at) {
    return new StepRecord(runId, leadId, step, StepStatus.SKIPPED, null, null, null, null, 0, 0, 0, 0, why, at, at);
  }

  public String key() {
    return key(leadId, step);
  }

  public static String key(String leadId, Step step) {
    return leadId + "/" + step.wire();
  }
}
