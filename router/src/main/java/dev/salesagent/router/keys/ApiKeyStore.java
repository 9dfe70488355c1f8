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

  /** Marks a key revoked; {@code false} when there is no such key or it already was. */
  boolean revoke(String id);
}
