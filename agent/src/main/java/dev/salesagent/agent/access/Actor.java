package dev.salesagent.agent.access;

import dev.salesagent.agent.lead.Lead;
import java.util.Objects;

/**
 * Who asks for sales work, and so who pays and who owns. Two rules follow from it:
 *
 * <ul>
 *   <li><b>Budgets</b>: every router call made for the actor carries {@link #keyId}, so the key's budget is checked
 *       before the call and the ledger row names the key ({@code null} = no key: the CLI without {@code --key-id},
 *       where only the global budgets apply).</li>
 *   <li><b>Tenancy</b>: a client key is its own tenant: it sees and changes only what it created. Admin keys and the
 *       operator's CLI form one tenant, the admins ({@link #owner()} {@code null}), who see every tenant's rows. Lead
 *       ids are per tenant ({@link #claim}), so two tenants may hold the same email without seeing each other.</li>
 * </ul>
 *
 * @param keyId the API key that pays for the work, {@code null} = none
 * @param admin sees every tenant's rows; what it creates belongs to the admins
 */
public record Actor(String keyId, boolean admin) {

  public Actor {
    if (!admin) Objects.requireNonNull(keyId, "a client actor needs its key id");
  }

  /** The operator at the command line without a key: admin tenant, global budgets only. */
  public static Actor operator() {
    return new Actor(null, true);
  }

  public static Actor client(String keyId) {
    return new Actor(keyId, false);
  }

  /** The owner recorded on what this actor creates: its key id for a client key, {@code null} (the admins) otherwise. */
  public String owner() {
    return admin ? null : keyId;
  }

  /** Whether a row owned by {@code owner} ({@code null} = the admins) is visible to this actor. */
  public boolean sees(String owner) {
    return admin || keyId.equals(owner);
  }

  /** {@code lead} with the id it has in this actor's tenant ({@link Lead#idFor(String, String)}). */
  public Lead claim(Lead lead) {
    String id = Lead.idFor(owner(), lead.email());
    return id.equals(lead.id()) ? lead : lead.withId(id);
  }
}
