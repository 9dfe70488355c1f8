package dev.salesagent.router.model;

/**
 * One call to one target, as the caller sees it in the attempts list.
 *
 * @param outcome {@code ok} or an error kind's wire name
 * @param status  HTTP status when one was received, else {@code null}
 */
public record Attempt(String provider, String model, String outcome, Integer status, long latencyMs) {
  public boolean ok() {
    return "ok".equals(outcome);
  }
}
