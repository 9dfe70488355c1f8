package dev.salesagent.server.auth;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.router.keys.ApiKey;

/**
 * Who is calling. {@code keyId} goes to the router (budgets, ledger); the bootstrap admin key from
 * {@code SALES_AGENT_ADMIN_KEY} is {@value #ENV_ADMIN_ID}.
 */
public record Principal(String keyId, boolean admin, Integer rpm, Integer tpm) {
  public static final String ENV_ADMIN_ID = "env-admin";

  /** A caller without a token limit. */
  public Principal(String keyId, boolean admin, Integer rpm) {
    this(keyId, admin, rpm, null);
  }

  /** The caller as the sales use cases see it: the key that pays, and its tenant (admins see every tenant's rows). */
  public Actor actor() {
    return new Actor(keyId, admin);
  }

  static Principal of(ApiKey k) {
    return new Principal(k.id(), k.admin(), k.rpm(), k.tpm());
  }
}
