package dev.salesagent.server.auth;

import dev.salesagent.router.budget.BudgetLimits;
import dev.salesagent.router.keys.ApiKey;
import dev.salesagent.router.keys.ApiKeyStore;
import dev.salesagent.router.keys.CreatedKey;
import dev.salesagent.router.keys.KeyHashing;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys as the hot path sees them: an in-memory copy of {@code api_keys} by hash and by id, so authenticating a
 * request is one SHA-256 and one map lookup, never a database call. The copy is reloaded every
 * {@value #REFRESH_MS} ms (off the event loop) so keys created or revoked by another replica take effect, and at once
 * after a change made here. With {@link KeyChanges} between replicas (Redis pub/sub), a change made through any
 * replica is announced before its answer and every replica reloads on the announcement, so it takes effect everywhere
 * within milliseconds; the periodic reload stays as the backstop. A key the copy does not know yet is looked up in the
 * database before it is refused. Reloads may overlap (periodic, announced, local): a reload's result is applied only if
 * no reload started after it was applied first, so an older read never replaces a newer one.
 *
 * <p>The bootstrap admin key ({@code SALES_AGENT_ADMIN_KEY}) is kept only as its SHA-256 and compared in constant
 * time. Keys are never logged.
 */
public final class KeyRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeyRegistry.class);
  static final long REFRESH_MS = 5_000;

  private final Vertx vertx;
  private final ApiKeyStore store;
  private final byte[] envAdminHash;
  private volatile Map<String, ApiKey> byHash = Map.of();
  private volatile Map<String, ApiKey> byId = Map.of();
  private final KeyChanges changes;
  /** Reloads started / the latest one applied, in start order. */
  private final java.util.concurrent.atomic.AtomicLong reloadsStarted = new java.util.concurrent.atomic.AtomicLong();
  private long reloadApplied;
  private long timer = -1;

  /**
   * @param storeOrNull    {@code null} = no database: only the bootstrap admin key works
   * @param envAdminKeyOrNull the value of {@code SALES_AGENT_ADMIN_KEY}, {@code null} or blank = none
   */
  public KeyRegistry(Vertx vertx, ApiKeyStore storeOrNull, String envAdminKeyOrNull) {
    this(vertx, storeOrNull, envAdminKeyOrNull, KeyChanges.NONE);
  }

  /** @param changes how key changes reach the other replicas (register before the events start) */
  public KeyRegistry(Vertx vertx, ApiKeyStore storeOrNull, String envAdminKeyOrNull, KeyChanges changes) {
    this.changes = changes == null ? KeyChanges.NONE : changes;
    this.changes.onChange(this::changed, this::reload);
    this.vertx = vertx;
    this.store = storeOrNull;
    this.envAdminHash = envAdminKeyOrNull == null || envAdminKeyOrNull.isBlank() ? null : KeyHashing.sha256(envAdminKeyOrNull);
  }

  /** Loads the keys and starts the periodic reload. */
  public Future<Void> start() {
    return reload().onSuccess(v -> timer = vertx.setPeriodic(REFRESH_MS, REFRESH_MS, id -> reload()));
  }

  private Future<Void> reload() {
    if (store == null) return Future.succeededFuture();
    long n = reloadsStarted.incrementAndGet();
    return vertx.executeBlocking(store::list, false).map(keys -> {
      Map<String, ApiKey> h = new HashMap<>();
      Map<String, ApiKey> i = new HashMap<>();
      for (ApiKey k : keys) {
        h.put(k.keyHash(), k);
        i.put(k.id(), k);
      }
      synchronized (this) {
        if (n > reloadApplied) {
          reloadApplied = n;
          byHash = h;
          byId = i;
        }
      }
      return (Void) null;
    }).onFailure(t -> log.error("could not reload API keys (keeping the previous copy)", t));
  }

  /**
   * A change announced by a replica. A revocation takes effect here on arrival, before the reload's database read:
   * the key is marked revoked in the copy, and reloads started before it cannot bring it back.
   */
  private void changed(KeyChanges.Change change, String keyId) {
    if (change == KeyChanges.Change.REVOKED) {
      synchronized (this) {
        ApiKey k = byId.get(keyId);
        if (k != null && !k.revoked()) {
          ApiKey r = new ApiKey(k.id(), k.name(), k.prefix(), k.keyHash(), k.scope(), k.budgetUsd(), k.rpm(), k.tpm(), k.createdAt(),
              java.time.Instant.now());
          Map<String, ApiKey> h = new HashMap<>(byHash);
          Map<String, ApiKey> i = new HashMap<>(byId);
          h.put(r.keyHash(), r);
          i.put(r.id(), r);
          byHash = h;
          byId = i;
          reloadApplied = reloadsStarted.get();
        }
      }
    }
    reload();
  }

  /** Whether any way to authenticate exists (else every API call is refused with 401). */
  public boolean anyKeyPossible() {
    return envAdminHash != null || store != null;
  }

  /**
   * The caller of {@code presented} (a Bearer token or x-api-key value), or a failed future with a 401
   * {@link ApiException}. Completes at once for known keys.
   */
  public Future<Principal> authenticate(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Future.failedFuture(new ApiException(ApiError.unauthorized(
          "missing API key: send 'Authorization: Bearer <key>' (or 'x-api-key: <key>' on /v1/messages)")));
    }
    byte[] hash = KeyHashing.sha256(presented);
    if (envAdminHash != null && MessageDigest.isEqual(hash, envAdminHash)) {
      return Future.succeededFuture(ENV_ADMIN);
    }
    String hex = java.util.HexFormat.of().formatHex(hash);
    ApiKey k = byHash.get(hex);
    if (k != null && KeyHashing.matches(presented, k.keyHash())) return verdict(k);
    if (store == null) return Future.failedFuture(new ApiException(ApiError.unauthorized("invalid API key")));
    // Perhaps created by another replica since the last reload.
    return vertx.executeBlocking(() -> store.findByPlaintext(presented), false)
        .compose(found -> found.map(this::verdict)
            .orElseGet(() -> Future.failedFuture(new ApiException(ApiError.unauthorized("invalid API key")))));
  }

  private static final Principal ENV_ADMIN = new Principal(Principal.ENV_ADMIN_ID, true, null, null);

  private Future<Principal> verdict(ApiKey k) {
    if (k.revoked()) {
      return Future.failedFuture(new ApiException(ApiError.unauthorized("API key " + k.id() + " has been revoked")));
    }
    return Future.succeededFuture(Principal.of(k));
  }

  /** The key's budget as limits for the budget counters: its budget is per UTC calendar month. Non-blocking. */
  public BudgetLimits limitsFor(String keyId) {
    ApiKey k = byId.get(keyId);
    return k == null || k.budgetUsd() == null ? BudgetLimits.NONE : new BudgetLimits(null, k.budgetUsd());
  }

  public Optional<ApiKey> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public Future<CreatedKey> create(String name, ApiKey.Scope scope, Double budgetUsd, Integer rpm) {
    return create(name, scope, budgetUsd, rpm, null);
  }

  public Future<CreatedKey> create(String name, ApiKey.Scope scope, Double budgetUsd, Integer rpm, Integer tpm) {
    return requireStore().compose(s -> vertx.executeBlocking(() -> {
          try {
            return s.create(name, scope, budgetUsd, rpm, tpm);
          } catch (IllegalArgumentException e) {
            throw ApiException.invalid(null, e.getMessage()); // the store's rule, naming the limit
          }
        }, false))
        .compose(c -> reload().compose(v -> announce(KeyChanges.Change.CREATED, c.key().id())).map(c));
  }

  /** Tells the other replicas; a failure (Redis down) leaves them to their periodic reload, the change stands. */
  private Future<Void> announce(KeyChanges.Change change, String keyId) {
    return changes.announce(change, keyId).recover(t -> {
      log.warn("key {} changed, but the other replicas could not be told at once ({}); they see it within {} ms",
          keyId, t.getMessage(), REFRESH_MS);
      return Future.succeededFuture();
    });
  }

  public Future<List<ApiKey>> list() {
    return requireStore().compose(s -> vertx.executeBlocking(s::list, false));
  }

  /** Changes an active key's budget and/or rpm (see {@link ApiKeyStore#updateLimits}); empty when no such active key. */
  public Future<java.util.Optional<ApiKey>> updateLimits(String id, boolean setBudget, Double budgetUsd, boolean setRpm,
                                                         Integer rpm) {
    return updateLimits(id, setBudget, budgetUsd, setRpm, rpm, false, null);
  }

  /** The same, the token limit too. */
  public Future<java.util.Optional<ApiKey>> updateLimits(String id, boolean setBudget, Double budgetUsd, boolean setRpm,
                                                         Integer rpm, boolean setTpm, Integer tpm) {
    return requireStore().compose(s -> vertx.executeBlocking(() -> {
          try {
            return s.updateLimits(id, setBudget, budgetUsd, setRpm, rpm, setTpm, tpm);
          } catch (IllegalArgumentException e) {
            throw ApiException.invalid(null, e.getMessage());
          }
        }, false))
        .compose(k -> reload().map(k));
  }

  public Future<Boolean> revoke(String id) {
    return requireStore().compose(s -> vertx.executeBlocking(() -> s.revoke(id), false))
        .compose(b -> reload().compose(v -> b ? announce(KeyChanges.Change.REVOKED, id) : Future.<Void>succeededFuture()).map(b));
  }

  private Future<ApiKeyStore> requireStore() {
    return store == null
        ? Future.failedFuture(new ApiException(new ApiError(503, "no_database", "keys need a database", null, null, null)))
        : Future.succeededFuture(store);
  }

  @Override
  public void close() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }
}
