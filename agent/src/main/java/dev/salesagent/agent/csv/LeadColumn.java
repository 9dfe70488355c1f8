package dev.salesagent.agent.csv;

import java.util.List;
import java.util.Locale;

/**
 * The lead columns the importer understands: HubSpot's labels case-insensitively, their snake_case equivalents and
 * a few common aliases (HubSpot internal names, Salesforce/LinkedIn export labels).
 */
public enum LeadColumn {
  FIRST_NAME("First Name", "firstname", "first"),
  LAST_NAME("Last Name", "lastname", "surname", "last"),
  EMAIL("Email", "email address", "e-mail", "primary email", "work email"),
  COMPANY("Company", "company name", "account name", "organization"),
  JOB_TITLE("Job Title", "jobtitle", "title"),
  PHONE("Phone Number", "phone", "mobile phone number", "mobilephone"),
  WEBSITE("Website URL", "website", "company website", "domain"),
  INDUSTRY("Industry"),
  EMPLOYEES("Number of Employees", "numberofemployees", "employees", "company size", "employee count"),
  COUNTRY("Country", "country/region"),
  NOTES("Notes", "note", "description", "message");

  private final String label;
  private final List<String> aliases;

  LeadColumn(String label, String... aliases) {
    this.label = label;
    this.aliases = List.of(aliases);
  }

  /** The HubSpot label, as the contract names the column. */
  public String label() {
    return label;
  }

  /** {@code "First Name"}, {@code "first_name"}, {@code " FIRST-NAME "} → {@code "first name"}. */
  public static String normalize(String header) {
    if (header == null) return "";
    return header.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]+", " ");
  }

  private static final java.util.Map<String, LeadColumn> BY_NAME = new java.util.HashMap<>();

  static {
    for (LeadColumn c : values()) {
      BY_NAME.putIfAbsent(normalize(c.label), c);
      for (String a : c.aliases) BY_NAME.putIfAbsent(normalize(a), c);
    }
  }

  private static final java.util.Set<String> FULL_NAME = java.util.Set.of("name", "full name", "contact name",
      "contact", "person", "lead name", "fullname");

  /**
   * A header of a whole name in one column ({@code Name}, {@code Full Name}, {@code Contact Name}): read when the
   * first and last name columns are absent or empty, and split into both.
   */
  public static boolean isFullName(String header) {
    return FULL_NAME.contains(normalize(header));
  }

  /** The column a header names, or {@code null}. */
  public static LeadColumn of(String header) {
    return BY_NAME.get(normalize(header));
  }
}
