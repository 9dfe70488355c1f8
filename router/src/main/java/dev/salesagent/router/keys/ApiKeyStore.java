package dev.salesagent.router.keys;

import java.util.List;
import java.util.Optional;

/**
 * Where API keys are kept (the port the gateway authenticates against; {@code store} implements it on JDBC).
 * Blocking: call it off the event loop. Implementations never store or log a key in clear, only its
 * {@link KeyHashing#sha256Hex hash}.
 */
public interface ApiKeyStore {
  /**
   * Creates a key and returns it with its plaintext (the only time it exists).
   *
   * @throws IllegalArgumentException when {@link ApiKey#checkNew} refuses it (the message names the limit)
   */
  CreatedKey create(String name, ApiKey.Scope scope, Double budgetUsd, Integer rpm, Integer tpm);

  /** A key without a token limit. */
  default CreatedKey create(String name, ApiKey.Scope scope, Double budgetUsd, Integer rpm) {
    return create(name, scope, budgetUsd, rpm, null);
  }

  /** The key whose hash matches {@code presented}, revoked or not. */
  Optional<ApiKey> findByPlaintext(String presented);

  Optional<ApiKey> find(String id);

  /** Every key, revoked ones included, oldest first. */
  List<ApiKey> list();

  /**
   * Changes an active key's monthly budget and/or rpm: a {@code set…} flag says the value is given ({@code null} then
   * removes the limit); the other stays as it is. Empty when there is no such active key.
   *
   * @throws IllegalArgumentException when a value breaks {@link ApiKey}'s rules (the message names the limit)
   */
  Optional<ApiKey> updateLimits(String id, boolean setBudget, Double budgetUsd, boolean setRpm, Integer rpm,
                                boolean setTpm, Integer tpm);

  /** The token limit as it is. */
  default Optional<ApiKey> updateLimits(String id, boolean setBudget, Double budgetUsd, boolean setRpm, Integer rpm) {
    return updateLimits(id, setBudget, budgetUsd, setRpm, rpm, false, null);
  }

  /** Marks a key revoked; {@code false} when there is no such key or it already was. */
  boolean revoke(String id);
}
