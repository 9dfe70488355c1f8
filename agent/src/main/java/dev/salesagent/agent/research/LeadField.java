package dev.salesagent.agent.research;

/** Which part of the lead a point rests on. */
public enum LeadField {
  NAME, JOB_TITLE, COMPANY, INDUSTRY, EMPLOYEES, COUNTRY, WEBSITE, EMAIL_DOMAIN, NOTES;

  public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

  /** This field's value in {@code lead} as the lead card shows it, or {@code null}. */
  public String valueIn(dev.salesagent.agent.lead.Lead lead) {
    return switch (this) {
      case NAME -> lead.fullName();
      case JOB_TITLE -> lead.jobTitle();
      case COMPANY -> lead.company();
      case INDUSTRY -> lead.industry();
      case EMPLOYEES -> lead.employees() == null ? null : lead.employees().toString();
      case COUNTRY -> lead.country();
      case WEBSITE -> lead.website();
      case EMAIL_DOMAIN -> lead.emailDomain();
      case NOTES -> lead.notes();
    };
  }

  /**
   * The field whose value contains {@code quote}: {@code preferred} when it does, else the first that does, else
   * {@code null} (the quote spans labels or is not in the lead).
   */
  public static LeadField locate(dev.salesagent.agent.lead.Lead lead, String quote, LeadField preferred) {
    String q = dev.salesagent.agent.lead.Evidence.normalize(quote);
    String labelled = q.replaceFirst("^(name|job title|company|industry|employees|country|website|email domain|notes): ", "");
    for (String candidate : new String[] {q, labelled}) {
      if (candidate.isEmpty()) continue;
      if (preferred != null && dev.salesagent.agent.lead.Evidence.normalize(preferred.valueIn(lead)).contains(candidate)) return preferred;
      for (LeadField f : values()) {
        if (dev.salesagent.agent.lead.Evidence.normalize(f.valueIn(lead)).contains(candidate)) return f;
      }
    }
    return null;
  }
}
