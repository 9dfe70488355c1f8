package dev.salesagent.agent.lead;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A lead as HubSpot names it (a contact): the email is the identity (lower-cased), everything else optional.
 * Validated on construction: a bad lead cannot exist. Blank strings become {@code null}.
 *
 * @param id        stable id derived from the email ({@link #idFor}), so re-importing the same file finds the same leads
 * @param employees number of employees as given (a count or a range such as {@code 51-200}), {@code null} when unknown
 */
public record Lead(
    String id,
    String firstName,
    String lastName,
    String email,
    String company,
    String jobTitle,
    String phone,
    String website,
    String industry,
    EmployeeCount employees,
    String country,
    String notes) {

  /** Practical email syntax: one @, a dotted domain, no spaces. Not RFC 5322 in full, on purpose. */
  public static final Pattern EMAIL =
      Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.[A-Za-z]{2,}$");

  public static final int MAX_FIELD = 300;
  public static final int MAX_NOTES = 4000;

  public Lead {
    email = clean(email, "email", MAX_FIELD);
    if (email == null) throw new IllegalArgumentException("email is required");
    email = email.toLowerCase(Locale.ROOT);
    if (!EMAIL.matcher(email).matches()) throw new IllegalArgumentException("email '" + email + "' is not a valid address");
    if (id == null || id.isBlank()) id = idFor(email);
    firstName = clean(firstName, "first name", MAX_FIELD);
    lastName = clean(lastName, "last name", MAX_FIELD);
    company = clean(company, "company", MAX_FIELD);
    jobTitle = clean(jobTitle, "job title", MAX_FIELD);
    phone = clean(phone, "phone", MAX_FIELD);
    website = clean(website, "website", MAX_FIELD);
    industry = clean(industry, "industry", MAX_FIELD);
    country = clean(country, "country", MAX_FIELD);
    notes = clean(notes, "notes", MAX_NOTES);
    if (phone != null && phone.chars().filter(Character::isDigit).count() < 5) {
      throw new IllegalArgumentException("phone '" + phone + "' has fewer than 5 digits");
    }
  }

  public static Lead of(String firstName, String lastName, String email, String company, String jobTitle) {
    return new Lead(null, firstName, lastName, email, company, jobTitle, null, null, null, null, null, null);
  }

  private static String clean(String s, String field, int max) {
    if (s == null) return null;
    String t = s.strip();
    if (t.isEmpty()) return null;
    if (t.length() > max) throw new IllegalArgumentException(field + " is longer than " + max + " characters");
    return t;
  }

  /** {@code L-} + the first 16 hex digits of SHA-256 of the lower-cased email: the id in the admins' tenant. */
  public static String idFor(String email) {
    return idFor(null, email);
  }

  /**
   * The lead's id in the tenant of {@code ownerOrNull} (a client key's id; {@code null} = the admins, whose ids are
   * {@link #idFor(String)} as before tenancy existed): {@code L-} + 16 hex digits of SHA-256 of the owner, a NUL and
   * the lower-cased email. Two tenants holding the same email get different leads, and an id says nothing about
   * whether another tenant holds that email.
   */
  public static String idFor(String ownerOrNull, String email) {
    String e = email.strip().toLowerCase(Locale.ROOT);
    String input = ownerOrNull == null ? e : ownerOrNull + '\u0000' + e;
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
      return "L-" + HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }

  public Lead withId(String newId) {
    return new Lead(newId, firstName, lastName, email, company, jobTitle, phone, website, industry, employees, country, notes);
  }

  public String fullName() {
    if (firstName == null && lastName == null) return null;
    if (firstName == null) return lastName;
    if (lastName == null) return firstName;
    return firstName + " " + lastName;
  }

  public String emailDomain() {
    return email.substring(email.indexOf('@') + 1);
  }

  /** The account this lead belongs to. */
  public Company account() {
    return Company.of(this);
  }

  /**
   * Merges a duplicate (same email) into this lead: fields this lead lacks are taken from {@code other}; notes of
   * both are kept. The result keeps this lead's id.
   */
  public Lead mergedWith(Lead other) {
    String mergedNotes = notes;
    if (other.notes != null && (notes == null || !notes.contains(other.notes))) {
      mergedNotes = notes == null ? other.notes : notes + "\n" + other.notes;
      if (mergedNotes.length() > MAX_NOTES) mergedNotes = mergedNotes.substring(0, MAX_NOTES);
    }
    return new Lead(id, or(firstName, other.firstName), or(lastName, other.lastName), email, or(company, other.company),
        or(jobTitle, other.jobTitle), or(phone, other.phone), or(website, other.website), or(industry, other.industry),
        employees != null ? employees : other.employees, or(country, other.country), mergedNotes);
  }

  private static String or(String a, String b) {
    return a != null ? a : b;
  }
}
