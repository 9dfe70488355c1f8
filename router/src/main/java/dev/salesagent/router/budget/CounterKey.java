package dev.salesagent.router.budget;

/**
 * One budget counter: a scope ({@code global} or {@code key:<id>}) in one UTC period ({@code 2026-11-24} for a day,
 * {@code 2026-11} for a month). The row key of a durable store, the key prefix of a shared one.
 */
public record CounterKey(String scope, String periodKey) {
  public static final String GLOBAL = "global";

  // written out rather than generated: counters are looked up by this key several times per request, and the
  // generated (method-handle based) equals showed in the gateway's CPU profile where the meters' key did
  @Override
  public boolean equals(Object o) {
    return o instanceof CounterKey k && scope.equals(k.scope) && periodKey.equals(k.periodKey);
  }

  @Override
  public int hashCode() {
    return 31 * scope.hashCode() + periodKey.hashCode();
  }

  public static String keyScope(String apiKeyId) {
    return "key:" + apiKeyId;
  }
}
