package dev.salesagent.agent.crm;

import dev.salesagent.agent.lead.Lead;
import java.util.List;

/**
 * Contacts read from the CRM as leads (contact data cleaned: {@link dev.salesagent.agent.lead.ContactCleaner}), the
 * warnings of that cleaning ({@code contact 1234 (dana@x.com): Phone Number 'n/a' is a placeholder; left empty}) and
 * the contacts that could not become a lead (no or invalid email) with why.
 */
public record PullResult(List<Lead> leads, List<String> warnings, List<String> rejected, int contactsRead) {
  public PullResult {
    leads = List.copyOf(leads);
    warnings = List.copyOf(warnings);
    rejected = List.copyOf(rejected);
  }
}
