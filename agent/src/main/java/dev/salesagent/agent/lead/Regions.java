package dev.salesagent.agent.lead;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A lead's country, as people write it in a CRM column ("United States", "USA", "Deutschland", "UK", "DE"), to the
 * ISO 3166 region code a phone number without a country code is read in.
 */
public final class Regions {
  private Regions() {}

  private static final Map<String, String> BY_NAME = new HashMap<>();

  static {
    Locale[] names = {Locale.ENGLISH, Locale.GERMAN, Locale.FRENCH, new Locale("es"), Locale.ITALIAN, new Locale("nl"),
        new Locale("pt")};
    for (String code : Locale.getISOCountries()) {
      Locale c = new Locale("", code);
      BY_NAME.put(key(code), code);
      for (Locale in : names) BY_NAME.putIfAbsent(key(c.getDisplayCountry(in)), code);
      try {
        BY_NAME.putIfAbsent(key(c.getISO3Country()), code);
      } catch (java.util.MissingResourceException ignored) {
        // no three-letter code for this region
      }
    }
    String[][] aliases = {{"usa", "US"}, {"u s a", "US"}, {"u s", "US"}, {"united states of america", "US"},
        {"america", "US"}, {"uk", "GB"}, {"u k", "GB"}, {"great britain", "GB"}, {"britain", "GB"}, {"england", "GB"},
        {"scotland", "GB"}, {"wales", "GB"}, {"northern ireland", "GB"}, {"holland", "NL"}, {"the netherlands", "NL"},
        {"south korea", "KR"}, {"korea", "KR"}, {"russia", "RU"}, {"czech republic", "CZ"}, {"uae", "AE"},
        {"turkey", "TR"}, {"vietnam", "VN"}};
    for (String[] a : aliases) BY_NAME.put(a[0], a[1]);
  }

  private static String key(String s) {
    String d = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    return d.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
  }

  /** The region code for {@code country}, or {@code null} when it names none. */
  public static String of(String country) {
    if (country == null || country.isBlank()) return null;
    return BY_NAME.get(key(country));
  }
}
