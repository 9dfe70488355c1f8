package dev.salesagent.agent.lead;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cleans the contact data of an imported row instead of rejecting it: phone numbers to E.164 with Google's
 * libphonenumber (the lead's country as the region of a number written without a country code; a placeholder or
 * unparseable value is blanked with a warning, the lead kept), a full name in one column split into first and last
 * name, the employee count kept as given (a count or a range), the email unwrapped ({@code mailto:},
 * {@code Name <addr>}) and lower-cased (its syntax is checked by {@link Lead}). Stateless and thread-safe.
 */
public final class ContactCleaner {
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  private static final Set<String> PLACEHOLDERS = Set.of("n/a", "na", "n.a.", "none", "null", "nil", "tbd", "tba",
      "unknown", "-", "--", "---", "?", "x", "xx", "xxx", "0", "000", "no", "no phone", "not available", "k.a.", "keine",
      "s/o", "sin telefono", "aucun");
  private static final Pattern ANGLE_EMAIL = Pattern.compile("^.*<\\s*([^<>\\s]+@[^<>\\s]+)\\s*>\\s*$");

  /** A cleaned value and the warnings it produced (empty when nothing was worth saying). */
  public record Cleaned<T>(T value, List<String> warnings) {}

  /**
   * A phone number in E.164 ({@code +12065550162}), or {@code null} with a warning when the value is a placeholder,
   * cannot be read as a number, or is not a possible number for its region. {@code region} is the lead's
   * {@link Regions#of country}; without it only numbers written with {@code +} or {@code 00} and a country code parse.
   */
  public static Cleaned<String> phone(String raw, String region) {
    if (raw == null || raw.isBlank()) return new Cleaned<>(null, List.of());
    String t = raw.strip();
    if (PLACEHOLDERS.contains(t.toLowerCase(Locale.ROOT)) || t.chars().noneMatch(Character::isDigit)
        || t.chars().filter(Character::isDigit).allMatch(c -> c == '0')) {
      return new Cleaned<>(null, List.of("Phone Number '" + t + "' is a placeholder; left empty"));
    }
    String input = t.startsWith("00") ? "+" + t.substring(2) : t;
    try {
      Phonenumber.PhoneNumber n = PHONES.parse(input, region == null ? "ZZ" : region);
      if (!PHONES.isPossibleNumber(n)) {
        return new Cleaned<>(null, List.of("Phone Number '" + t + "' is not a possible number"
            + (region == null ? "" : " in " + region) + "; left empty"));
      }
      return new Cleaned<>(PHONES.format(n, PhoneNumberUtil.PhoneNumberFormat.E164), List.of());
    } catch (NumberParseException e) {
      String why = e.getErrorType() == NumberParseException.ErrorType.INVALID_COUNTRY_CODE
          ? "has no country code and the lead's country " + (region == null ? "is unknown" : region + " does not apply")
          : "is not a phone number";
      return new Cleaned<>(null, List.of("Phone Number '" + t + "' " + why + "; left empty"));
    }
  }

  /** {@code mailto:Dana.Reyes@Northwind.com}, {@code Dana Reyes <dana.reyes@northwind.com>} → the lower-cased address. */
  public static String email(String raw) {
    if (raw == null) return null;
    String t = raw.strip();
    var m = ANGLE_EMAIL.matcher(t);
    if (m.matches()) t = m.group(1);
    if (t.regionMatches(true, 0, "mailto:", 0, 7)) t = t.substring(7);
    int q = t.indexOf('?');
    if (q > 0 && t.lastIndexOf('@') < q) t = t.substring(0, q);
    return t.strip().toLowerCase(Locale.ROOT);
  }

  private static final Set<String> HONORIFICS = Set.of("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "herr", "frau",
      "mme", "mlle", "sr", "sra", "srta", "don", "dona");
  private static final Set<String> SUFFIXES = Set.of("jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "esq", "cpa");
  private static final Set<String> PARTICLES = Set.of("van", "von", "de", "der", "den", "da", "das", "dos", "del",
      "della", "di", "du", "la", "le", "bin", "al", "el", "ter", "zu", "y");

  /** First and last name. */
  public record Name(String first, String last) {}

  /**
   * Splits a full name written in one column: {@code Reyes, Dana} → Dana / Reyes; {@code Dr. Mary Ann Smith PhD} →
   * Mary Ann / Smith; {@code Ludwig van Beethoven} → Ludwig / van Beethoven; one word → a first name only.
   */
  public static Name splitName(String full) {
    if (full == null || full.isBlank()) return new Name(null, null);
    String t = full.strip().replaceAll("\\s+", " ");
    int comma = t.indexOf(',');
    if (comma > 0) {
      String after = t.substring(comma + 1).strip();
      if (!after.isEmpty() && !SUFFIXES.contains(token(after))) {
        Name rest = splitName(after);
        String first = rest.last() == null ? rest.first() : rest.first() + " " + rest.last();
        return new Name(first, t.substring(0, comma).strip());
      }
      t = t.substring(0, comma).strip();
    }
    List<String> words = new ArrayList<>(List.of(t.split(" ")));
    while (words.size() > 1 && HONORIFICS.contains(token(words.get(0)))) words.remove(0);
    while (words.size() > 1 && SUFFIXES.contains(token(words.get(words.size() - 1)))) words.remove(words.size() - 1);
    if (words.size() == 1) return new Name(words.get(0), null);
    int lastStart = words.size() - 1;
    while (lastStart > 1 && PARTICLES.contains(words.get(lastStart - 1).toLowerCase(Locale.ROOT))) lastStart--;
    return new Name(String.join(" ", words.subList(0, lastStart)), String.join(" ", words.subList(lastStart, words.size())));
  }

  private static String token(String w) {
    return w.toLowerCase(Locale.ROOT).replaceAll("[.]", "");
  }

  /** The employee count as given, or {@code null} with a warning when it is neither a count nor a range. */
  public static Cleaned<EmployeeCount> employees(String raw) {
    if (raw == null || raw.isBlank()) return new Cleaned<>(null, List.of());
    EmployeeCount c = EmployeeCount.parse(raw);
    if (c == null) {
      return new Cleaned<>(null, List.of("Number of Employees '" + raw.strip() + "' is not a count or a range; left empty"));
    }
    return new Cleaned<>(c, List.of());
  }
}
