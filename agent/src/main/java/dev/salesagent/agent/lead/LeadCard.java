package dev.salesagent.agent.lead;

/**
 * The text of a lead as every prompt shows it and as evidence is checked against: one "Label: value" line per known
 * field. Keeping one rendering means "quoted from the lead" has one meaning.
 */
public final class LeadCard {
  private LeadCard() {}

  public static String render(Lead l) {
    StringBuilder sb = new StringBuilder(256);
    line(sb, "Name", l.fullName());
    line(sb, "Job title", l.jobTitle());
    line(sb, "Company", l.company());
    line(sb, "Industry", l.industry());
    line(sb, "Employees", l.employees() == null ? null : l.employees().toString());
    line(sb, "Country", l.country());
    line(sb, "Website", l.website());
    line(sb, "Email domain", l.emailDomain());
    line(sb, "Notes", l.notes() == null ? null : l.notes().replace('\n', ' '));
    return sb.toString().strip();
  }

  private static void line(StringBuilder sb, String label, String value) {
    if (value == null) return;
    sb.append(label).append(": ").append(value).append('\n');
  }
}
