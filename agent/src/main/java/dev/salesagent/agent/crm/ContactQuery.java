package dev.salesagent.agent.crm;

import java.time.LocalDate;

/**
 * Which CRM contacts a pull reads: an optional lifecycle stage (HubSpot's internal value, e.g. {@code lead},
 * {@code marketingqualifiedlead}) and an optional creation date (contacts created on or after that day, UTC).
 * {@code max} caps how many are read (0 = all the search can give, at most 10,000 in HubSpot).
 */
public record ContactQuery(String lifecycleStage, LocalDate createdAfter, int max) {
  public ContactQuery {
    lifecycleStage = lifecycleStage == null || lifecycleStage.isBlank() ? null : lifecycleStage.strip();
    if (max < 0) throw new IllegalArgumentException("max must be >= 0");
  }

  public static ContactQuery all() {
    return new ContactQuery(null, null, 0);
  }
}
