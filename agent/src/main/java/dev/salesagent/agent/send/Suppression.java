package dev.salesagent.agent.send;

import java.time.Instant;

/**
 * A suppression entry that matched an address.
 *
 * @param domain the do-not-contact domain that matched, or {@code null} when the address itself (its hash) matched
 */
public record Suppression(SuppressionReason reason, String domain, Instant since) {
  public String describe() {
    return domain != null ? "domain " + domain + " is " + reason.wire() : "address is " + reason.wire();
  }
}
