package dev.salesagent.agent.lead;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A company's number of employees as given: an exact count ({@code 1200}), a range ({@code 51-200}) or an open range
 * ({@code 5000+}). Kept as given, never rounded to one end: a range exported to HubSpot becomes the option of its
 * {@code numemployees} dropdown that covers it ({@link #hubspotOption()}).
 *
 * @param min the lower bound (the count itself when exact)
 * @param max the upper bound; {@code null} for an open range ({@code 5000+}); {@code min} when exact
 */
public record EmployeeCount(int min, Integer max) {
  public static final int LIMIT = 10_000_000;

  /**
   * The options of HubSpot's default contact property {@code numemployees} ("Number of Employees", a dropdown
   * (enumeration/select) in the contact information group). An import into that property accepts only these values
   * (HubSpot answers {@code INVALID_OPTION} otherwise). Accounts may edit the options.
   */
  public static final List<String> HUBSPOT_OPTIONS = List.of("1-5", "5-25", "25-50", "50-100", "100-500", "500-1000", "1000+");

  public EmployeeCount {
    if (min < 0 || min > LIMIT) throw new IllegalArgumentException("number of employees " + min + " is out of range 0.." + LIMIT);
    if (max != null && (max < min || max > LIMIT)) {
      throw new IllegalArgumentException("employee range " + min + "-" + max + " is not a range within 0.." + LIMIT);
    }
  }

  public static EmployeeCount exactly(int n) {
    return new EmployeeCount(n, n);
  }

  public boolean exact() {
    return max != null && max == min;
  }

  private static final Pattern NUMBER = Pattern.compile("(\\d{1,3}(?:[,. _'\u00a0]\\d{3})+|\\d+)\\s*(k)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern RANGE = Pattern.compile("^(N)\\s*(?:-|–|—|to|bis|à|a)\\s*(N)$".replace("N",
      "\\d[\\d,. _'\u00a0]*\\s*k?"), Pattern.CASE_INSENSITIVE);

  /**
   * {@code 1200}, {@code 1,200}, {@code 1 200}, {@code 10k}, {@code 51-200}, {@code 51 – 200}, {@code 51 to 200},
   * {@code 5000+}, {@code 1000 +}; {@code null} for anything else (the importer keeps the lead and warns).
   */
  public static EmployeeCount parse(String s) {
    if (s == null) return null;
    String t = s.strip().toLowerCase(Locale.ROOT);
    if (t.isEmpty()) return null;
    try {
      if (t.endsWith("+")) {
        Integer n = number(t.substring(0, t.length() - 1).strip());
        return n == null ? null : new EmployeeCount(n, null);
      }
      Matcher r = RANGE.matcher(t);
      if (r.matches()) {
        Integer a = number(r.group(1).strip());
        Integer b = number(r.group(2).strip());
        return a == null || b == null || b < a ? null : new EmployeeCount(a, b);
      }
      Integer n = number(t);
      return n == null ? null : exactly(n);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Integer number(String t) {
    Matcher m = NUMBER.matcher(t);
    if (!m.matches()) return null;
    long v = Long.parseLong(m.group(1).replaceAll("[,. _'\u00a0]", ""));
    if (m.group(2) != null) v *= 1000;
    return v > LIMIT ? null : (int) v;
  }

  /**
   * The HubSpot {@code numemployees} option for this count: the option that holds the whole range when one does,
   * else the one that holds its midpoint ({@code 51-200} → {@code 100-500}; an open range goes by its lower bound).
   * HubSpot's options share their end points ({@code 5-25}, {@code 25-50}); a count on a boundary goes to the lower option.
   */
  public String hubspotOption() {
    int lo = min;
    int hi = max == null ? Integer.MAX_VALUE : max;
    for (String o : HUBSPOT_OPTIONS) {
      int[] b = bounds(o);
      if (lo >= b[0] && hi <= b[1]) return o;
    }
    long mid = max == null ? min : ((long) min + max) / 2;
    for (String o : HUBSPOT_OPTIONS) {
      int[] b = bounds(o);
      if (mid >= b[0] && mid <= b[1]) return o;
    }
    return HUBSPOT_OPTIONS.get(0); // 0 employees
  }

  private static int[] bounds(String option) {
    if (option.endsWith("+")) return new int[] {Integer.parseInt(option.substring(0, option.length() - 1)), Integer.MAX_VALUE};
    int dash = option.indexOf('-');
    return new int[] {Integer.parseInt(option.substring(0, dash)), Integer.parseInt(option.substring(dash + 1))};
  }

  /** As given in canonical form: {@code 1200}, {@code 51-200}, {@code 5000+}. */
  @Override
  public String toString() {
    if (max == null) return min + "+";
    return exact() ? Integer.toString(min) : min + "-" + max;
  }

  /** JSON: a number when exact (as before ranges existed), else the canonical string. */
  @JsonValue
  public Object json() {
    return exact() ? (Object) min : toString();
  }

  @JsonCreator
  public static EmployeeCount fromJson(Object v) {
    if (v == null) return null;
    if (v instanceof Number n) return exactly(n.intValue());
    EmployeeCount c = parse(v.toString());
    if (c == null) throw new IllegalArgumentException("employees '" + v + "' is not a count or a range like 51-200 or 5000+");
    return c;
  }
}
