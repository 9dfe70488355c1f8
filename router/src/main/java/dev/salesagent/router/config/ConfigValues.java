package dev.salesagent.router.config;

import dev.salesagent.router.config.ConfigFile.At;
import dev.salesagent.router.config.ConfigFile.Val;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads configuration values: {@code ${VAR}} / {@code ${VAR:-default}} replaced from the environment in every string,
 * then checked; a bad value fails with a {@link ConfigException} naming its file and line, the key and what fits.
 */
final class ConfigValues {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final Map<String, String> env;

  ConfigValues(Map<String, String> env) {
    this.env = env;
  }

  String env(String name) {
    return env.get(name);
  }

  static boolean absent(Val v) {
    return v == null || v.value() == null;
  }

  /** The value's place, else its section's, else "config". */
  static String where(Val v, At<?> parent) {
    return v != null ? v.where() : parent != null ? parent.where() : "config";
  }

  String str(Val v, String path, String dflt) {
    if (absent(v)) return dflt;
    return substitute(v, String.valueOf(v.value()), path);
  }

  private Object scalar(Val v, String path) {
    if (v.value() instanceof String s) return substitute(v, s, path);
    return v.value();
  }

  private String substitute(Val v, String s, String path) {
    if (s.indexOf("${") < 0) return s;
    Matcher mt = VAR.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (mt.find()) {
      String value = env.get(mt.group(1));
      if (value == null || value.isEmpty()) {
        if (mt.group(2) != null) value = mt.group(2);
        else throw new ConfigException(v.where() + ": " + path + " uses ${" + mt.group(1) + "} but that environment variable is not set"
            + " (set it, or write ${" + mt.group(1) + ":-default})");
      }
      mt.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    mt.appendTail(sb);
    return sb.toString();
  }

  long longIn(Val v, String path, long dflt, long min, long max) {
    if (absent(v)) return dflt;
    Object o = scalar(v, path);
    long l;
    try {
      if (o instanceof Integer || o instanceof Long || o instanceof BigInteger) l = ((Number) o).longValue();
      else if (o instanceof String s) l = Long.parseLong(s.trim());
      else throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw new ConfigException(v.where() + ": " + path + " must be a whole number, not '" + o + "'");
    }
    if (l < min || l > max) throw new ConfigException(v.where() + ": " + path + " must be between " + min + " and " + max + ", not " + l);
    return l;
  }

  int intIn(Val v, String path, int dflt, int min, int max) {
    return (int) longIn(v, path, dflt, min, max);
  }

  /** A required number, zero or more. */
  double dblIn(Val v, String path) {
    Object o = scalar(v, path);
    double d;
    try {
      if (o instanceof Number num) d = num.doubleValue();
      else if (o instanceof String s) d = Double.parseDouble(s.trim());
      else throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw new ConfigException(v.where() + ": " + path + " must be a number, not '" + o + "'");
    }
    if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) throw new ConfigException(v.where() + ": " + path + " must be zero or more, not " + d);
    return d;
  }

  Double optDouble(Val v, String path) {
    return absent(v) ? null : dblIn(v, path);
  }

  boolean bool(Val v, String path, boolean dflt) {
    if (absent(v)) return dflt;
    Object o = scalar(v, path);
    if (o instanceof Boolean b) return b;
    if ("true".equals(o)) return true;
    if ("false".equals(o)) return false;
    throw new ConfigException(v.where() + ": " + path + " must be true or false, not '" + o + "'");
  }
}
