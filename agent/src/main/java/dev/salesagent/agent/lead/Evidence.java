package dev.salesagent.agent.lead;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "Quoted from the source": a case-insensitive substring check after normalising whitespace and quote marks. */
public final class Evidence {
  private Evidence() {}

  private static final Pattern SPACES = Pattern.compile("\\s+");

  public static String normalize(String s) {
    if (s == null) return "";
    String t = s.toLowerCase(Locale.ROOT)
        .replace('\u201c', '"').replace('\u201d', '"').replace('\u2018', '\'').replace('\u2019', '\'')
        .replace('\u2013', '-').replace('\u2014', '-');
    t = SPACES.matcher(t).replaceAll(" ").strip();
    // A model quoting "x" with its own quote marks or a trailing full stop still quotes x.
    while (t.length() > 1 && (t.startsWith("\"") || t.startsWith("'"))) t = t.substring(1).strip();
    while (t.length() > 1 && (t.endsWith("\"") || t.endsWith("'") || t.endsWith(".") || t.endsWith("…"))) {
      t = t.substring(0, t.length() - 1).strip();
    }
    return t;
  }

  /** True when {@code quote} (non-blank) occurs in {@code source}, ignoring case, whitespace runs and quote styles. */
  public static boolean foundIn(String quote, String source) {
    return new Source(source).contains(quote);
  }

  /** A source text normalised once, for checking several quotes against it. */
  public static final class Source {
    private final String normalized;

    public Source(String text) {
      this.normalized = normalize(text);
    }

    public boolean contains(String quote) {
      String q = normalize(quote);
      return !q.isEmpty() && normalized.contains(q);
    }
  }

  private static final Pattern NUMBER = Pattern.compile("\\d[\\d,.]*");

  /** The first number in {@code text} that does not occur in {@code source}, or {@code null} when all do. */
  public static String unsupportedNumber(String text, String source) {
    String src = source == null ? "" : source.replace(",", "");
    Matcher m = NUMBER.matcher(text == null ? "" : text);
    while (m.find()) {
      String n = m.group().replace(",", "");
      while (n.endsWith(".")) n = n.substring(0, n.length() - 1);
      if (n.isEmpty()) continue;
      if (!src.contains(n)) return m.group();
    }
    return null;
  }
}
