package dev.salesagent.server.auth;

import dev.salesagent.router.keys.ApiKey;

/**
 * Who is calling. {@code keyId} goes to the router (budgets, ledger); the bootstrap admin key from
 * {@code SALES_AGENT_ADMIN_KEY} is {@value #ENV_ADMIN_ID}.
 */
public record Principal(String keyId, boolean admin, Integer rpm) {
  public static final String ENV_ADMIN_ID = "env-admin";

  static Principal of(ApiKey k) {
    return new Principal(k.id(), k.admin(), k.rpm());
  }
}
