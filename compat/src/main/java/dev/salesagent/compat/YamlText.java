package dev.salesagent.compat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Scalars as YAML text: plain where unambiguous, double-quoted otherwise. */
final class YamlText {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./:@-]*");
  private static final Set<String> RESERVED = Set.of("true", "false", "yes", "no", "on", "off", "null", "y", "n", "~");

  private YamlText() {}

  static String str(String s) {
    if (PLAIN.matcher(s).matches() && !RESERVED.contains(s.toLowerCase(Locale.ROOT)) && !looksNumeric(s) && !s.contains(": ")) {
      return s;
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\x%02x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }

  private static boolean looksNumeric(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return s.startsWith("0x") || s.startsWith("0o");
    }
  }

  /** A price or amount without binary noise ({@code 3.0000000000000004} → {@code 3}). */
  static String num(double d) {
    BigDecimal b = new BigDecimal(d).setScale(9, RoundingMode.HALF_UP).stripTrailingZeros();
    if (b.scale() < 0) b = b.setScale(0, RoundingMode.UNNECESSARY);
    return b.toPlainString();
  }

  static String list(List<String> items) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) b.append(", ");
      b.append(str(items.get(i)));
    }
    return b.append(']').toString();
  }

  /** A comment line's text with line breaks folded, so a note can never end the comment early. */
  static String comment(String s) {
    return s.replace('\r', ' ').replace('\n', ' ');
  }
}
