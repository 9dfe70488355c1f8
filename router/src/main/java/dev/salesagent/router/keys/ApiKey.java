package dev.salesagent.router.keys;

import java.time.Instant;

/**
 * An API key as stored: never the key itself, only its SHA-256 ({@code keyHash}, hex) and its first characters
 * ({@code prefix}) so an admin can tell keys apart.
 *
 * @param budgetUsd the key's monthly budget (UTC calendar month), {@code null} = no per-key budget
 * @param rpm       requests per minute allowed, {@code null} = no per-key rate limit
 * @param tpm       tokens per minute allowed (estimated at admission, settled to the reported usage), {@code null} = no
 *                  per-key token limit
 */
public record ApiKey(String id, String name, String prefix, String keyHash, Scope scope, Double budgetUsd, Integer rpm,
                     Integer tpm, Instant createdAt, Instant revokedAt) {

  /** A key without a token limit. */
  public ApiKey(String id, String name, String prefix, String keyHash, Scope scope, Double budgetUsd, Integer rpm,
                Instant createdAt, Instant revokedAt) {
    this(id, name, prefix, keyHash, scope, budgetUsd, rpm, null, createdAt, revokedAt);
  }

  /**
   * The largest monthly budget a key may have: well inside the {@code DECIMAL(18, 9)} columns that hold budgets and
   * spend (at most 999,999,999.999999999), so a budget is refused by us with the limit named, never by the database.
   */
  public static final double MAX_BUDGET_USD = 100_000_000;
  /** The largest per-key rate limit (requests per minute). */
  public static final int MAX_RPM = 1_000_000;
  /** The largest per-key token limit (tokens per minute). */
  public static final int MAX_TPM = 2_000_000_000;
  /** The longest key name ({@code VARCHAR(200)}). */
  public static final int MAX_NAME = 200;
  public static final String BUDGET_RULE =
      "budget_usd must be a number from 0 to 100000000 (USD per UTC calendar month)";
  public static final String RPM_RULE = "rpm must be an integer from 1 to 1000000 (requests per minute)";
  public static final String TPM_RULE = "tpm must be an integer from 1 to 2000000000 (tokens per minute)";

  /** The rules of a new key; the message names the limit. @throws IllegalArgumentException when one is broken */
  public static void checkNew(String name, Double budgetUsd, Integer rpm) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank");
    if (name.trim().length() > MAX_NAME) throw new IllegalArgumentException("name must be at most " + MAX_NAME + " characters");
    if (budgetUsd != null && !(budgetUsd >= 0 && budgetUsd <= MAX_BUDGET_USD)) throw new IllegalArgumentException(BUDGET_RULE);
    if (rpm != null && (rpm < 1 || rpm > MAX_RPM)) throw new IllegalArgumentException(RPM_RULE);
  }

  /** {@link #checkNew(String, Double, Integer)} and the token limit. */
  public static void checkNew(String name, Double budgetUsd, Integer rpm, Integer tpm) {
    checkNew(name, budgetUsd, rpm);
    if (tpm != null && tpm < 1) throw new IllegalArgumentException(TPM_RULE);
  }

  public enum Scope {
    CLIENT, ADMIN;

    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static Scope fromWire(String s) {
      return switch (s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "client" -> CLIENT;
        case "admin" -> ADMIN;
        default -> throw new IllegalArgumentException("scope must be 'client' or 'admin', got '" + s + "'");
      };
    }
  }

  public boolean revoked() { return revokedAt != null; }

  public boolean admin() { return scope == Scope.ADMIN; }
}
