package dev.salesagent.store.keys;

import dev.salesagent.router.keys.ApiKey;
import dev.salesagent.router.keys.ApiKeyStore;
import dev.salesagent.router.keys.CreatedKey;
import dev.salesagent.router.keys.KeyHashing;
import dev.salesagent.store.Database;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** API keys in {@code api_keys}. Blocking JDBC: call off the event loop. Never stores or logs a key in clear. */
public final class JdbcApiKeyStore implements ApiKeyStore {
  private final Database db;

  public JdbcApiKeyStore(Database db) {
    this.db = db;
  }

  /**
   * Creates a key and returns it with its plaintext (the only time it exists).
   *
   * @throws IllegalArgumentException for a blank or too long name, a budget or rpm out of range (the message names the
   *                                  limit)
   */
  @Override
  public CreatedKey create(String name, ApiKey.Scope scope, Double budgetUsd, Integer rpm, Integer tpm) {
    ApiKey.checkNew(name, budgetUsd, rpm, tpm);
    String plaintext = KeyHashing.newKey();
    ApiKey key = new ApiKey(KeyHashing.newId(), name.trim(), KeyHashing.displayPrefix(plaintext),
        KeyHashing.sha256Hex(plaintext), scope == null ? ApiKey.Scope.CLIENT : scope, budgetUsd, rpm,
        tpm, Instant.now(), null);
    db.jdbi().useHandle(h -> {
      h.createUpdate("INSERT INTO api_keys (id, name, prefix, key_hash, scope, budget_usd, rpm, tpm, created_at)"
              + " VALUES (:id, :name, :prefix, :hash, :scope, :budget, :rpm, :tpm, :at)")
          .bind("id", key.id()).bind("name", key.name()).bind("prefix", key.prefix()).bind("hash", key.keyHash())
          .bind("scope", key.scope().wire())
          .bindByType("budget", budgetUsd == null ? null : BigDecimal.valueOf(budgetUsd), BigDecimal.class)
          .bindByType("rpm", rpm, Integer.class)
          .bindByType("tpm", tpm, Integer.class)
          .bind("at", OffsetDateTime.ofInstant(key.createdAt(), ZoneOffset.UTC))
          .execute();
      db.checkpoint(h); // durable when the caller is told the key exists
    });
    return new CreatedKey(key, plaintext);
  }

  /** The key whose hash matches {@code presented}, revoked or not (constant-time check of the hash). */
  @Override
  public Optional<ApiKey> findByPlaintext(String presented) {
    if (presented == null || presented.isEmpty()) return Optional.empty();
    String hash = KeyHashing.sha256Hex(presented);
    return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE key_hash = :h")
            .bind("h", hash).map((rs, ctx) -> row(rs)).findFirst())
        .filter(k -> KeyHashing.matches(presented, k.keyHash()));
  }

  @Override
  public Optional<ApiKey> find(String id) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE id = :id")
        .bind("id", id).map((rs, ctx) -> row(rs)).findFirst());
  }

  /** Every key, revoked ones included, oldest first. */
  @Override
  public List<ApiKey> list() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM api_keys ORDER BY created_at, id")
        .map((rs, ctx) -> row(rs)).list());
  }

  @Override
  public Optional<ApiKey> updateLimits(String id, boolean setBudget, Double budgetUsd, boolean setRpm, Integer rpm,
                                       boolean setTpm, Integer tpm) {
    ApiKey.checkNew("limits", setBudget ? budgetUsd : null, setRpm ? rpm : null, setTpm ? tpm : null);
    return db.jdbi().withHandle(h -> {
      // one statement: a flag that is not set keeps the column as it is
      int n = h.createUpdate("UPDATE api_keys SET budget_usd = CASE WHEN :setBudget THEN :budget ELSE budget_usd END,"
              + " rpm = CASE WHEN :setRpm THEN :rpm ELSE rpm END, tpm = CASE WHEN :setTpm THEN :tpm ELSE tpm END"
              + " WHERE id = :id AND revoked_at IS NULL")
          .bind("setBudget", setBudget).bind("setRpm", setRpm).bind("setTpm", setTpm)
          .bindByType("tpm", tpm, Integer.class)
          .bindByType("budget", budgetUsd == null ? null : BigDecimal.valueOf(budgetUsd), BigDecimal.class)
          .bindByType("rpm", rpm, Integer.class).bind("id", id).execute();
      if (n == 0) return Optional.<ApiKey>empty();
      db.checkpoint(h); // a lowered budget must hold after a crash
      return h.createQuery("SELECT * FROM api_keys WHERE id = :id").bind("id", id).map((rs, ctx) -> row(rs)).findFirst();
    });
  }

  /** Marks a key revoked; {@code false} when there is no such key or it already was. */
  @Override
  public boolean revoke(String id) {
    return db.jdbi().withHandle(h -> {
      int n = h.createUpdate("UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
          .bind("at", OffsetDateTime.now(ZoneOffset.UTC)).bind("id", id).execute();
      db.checkpoint(h); // a revoked key must stay revoked after a crash
      return n;
    }) > 0;
  }

  private static ApiKey row(ResultSet rs) throws SQLException {
    BigDecimal budget = rs.getBigDecimal("budget_usd");
    int rpm = rs.getInt("rpm");
    Integer rpmOrNull = rs.wasNull() ? null : rpm;
    int tpm = rs.getInt("tpm");
    Integer tpmOrNull = rs.wasNull() ? null : tpm;
    OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
    return new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("prefix"), rs.getString("key_hash"),
        ApiKey.Scope.fromWire(rs.getString("scope")), budget == null ? null : budget.doubleValue(), rpmOrNull, tpmOrNull,
        rs.getObject("created_at", OffsetDateTime.class).toInstant(), revoked == null ? null : revoked.toInstant());
  }
}
