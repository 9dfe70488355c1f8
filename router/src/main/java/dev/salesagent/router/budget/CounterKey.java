package dev.salesagent.router.budget;

/**
 * One budget counter: a scope ({@code global} or {@code key:<id>}) in one UTC period ({@code 2026-11-24} for a day,
 * {@code 2026-11} for a month). The row key of a durable store, the key prefix of a shared one.
 */
public record CounterKey(String scope, String periodKey) {
  public static final String GLOBAL = "global";

  public static String keyScope(String apiKeyId) {
    return "key:" + apiKeyId;
  }
}
