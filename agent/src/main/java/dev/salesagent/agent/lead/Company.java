package dev.salesagent.agent.lead;

import java.util.Locale;
import java.util.Set;

/**
 * An account (HubSpot company). The domain is the dedup key: taken from the website, else from a non-personal
 * email domain.
 */
public record Company(String name, String domain, String industry, EmployeeCount employees, String country) {
  private static final Set<String> PERSONAL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "hotmail.com",
      "outlook.com", "live.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net",
      "web.de", "yandex.ru", "mail.ru", "qq.com", "163.com");

  public Company {
    if ((name == null || name.isBlank()) && (domain == null || domain.isBlank())) {
      throw new IllegalArgumentException("a company needs a name or a domain");
    }
    if (domain != null) domain = domain.toLowerCase(Locale.ROOT);
  }

  public static Company of(Lead l) {
    String domain = domainOf(l.website());
    if (domain == null && !isPersonalDomain(l.emailDomain())) domain = l.emailDomain();
    String name = l.company() != null ? l.company() : domain;
    if (name == null) name = l.emailDomain();
    return new Company(name, domain, l.industry(), l.employees(), l.country());
  }

  public static boolean isPersonalDomain(String domain) {
    return domain != null && PERSONAL.contains(domain.toLowerCase(Locale.ROOT));
  }

  /** {@code https://www.Acme.com/about} → {@code acme.com}; {@code null} when it does not look like a site. */
  public static String domainOf(String website) {
    if (website == null) return null;
    String s = website.strip().toLowerCase(Locale.ROOT);
    s = s.replaceFirst("^[a-z][a-z0-9+.-]*://", "");
    int cut = s.length();
    for (char c : new char[] {'/', '?', '#', ':'}) {
      int i = s.indexOf(c);
      if (i >= 0) cut = Math.min(cut, i);
    }
    s = s.substring(0, cut);
    if (s.startsWith("www.")) s = s.substring(4);
    return s.matches("[a-z0-9-]+(\\.[a-z0-9-]+)+") ? s : null;
  }
}
