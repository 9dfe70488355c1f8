package dev.salesagent.router.keys;

import java.time.Instant;

/**
 * An API key as stored: never the key itself, only its SHA-256 ({@code keyHash}, hex) and its first characters
 * ({@code prefix}) so an admin can tell keys apart.
 *
 * @param budgetUsd the key's monthly budget (UTC calendar month), {@code null} = no per-key budget
 * @param rpm       requests per minute allowed, {@code null} = no per-key rate limit
 */
public record ApiKey(String id, String name, String prefix, String keyHash, Scope scope, Double budgetUsd, Integer rpm,
                     Instant createdAt, Instant revokedAt) {

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
