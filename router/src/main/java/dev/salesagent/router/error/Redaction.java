package dev.salesagent.router.error;

import java.util.regex.Pattern;

/**
 * Removes secrets from text that leaves the process — a response, a log line, the {@code providers} listing: API-key
 * shaped tokens, the user-info of URLs ({@code https://user:password@host} → {@code https://***@host}) and the values
 * of credential-like URL parameters ({@code ?api_key=}, {@code &password=}, {@code ;PASSWORD=} in a JDBC URL …).
 * Off the hot path: it runs on errors, configuration and listings, not per request.
 */
public final class Redaction {
  private Redaction() {}

  private static final Pattern KEY_LIKE =
      Pattern.compile("(sk-[A-Za-z0-9_\\-]{6,}|(?i)bearer\\s+[A-Za-z0-9._\\-]{6,})");
  /** {@code scheme://userinfo@}: everything between the scheme and the last {@code @} before the host. */
  private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)[^/?#@\\s\"'<>]+@");
  private static final Pattern SECRET_PARAM = Pattern.compile(
      "(?i)([?&;](?:[a-z0-9_\\-]*(?:key|token|secret|password|passwd|pwd|signature|sig|auth|credential)[a-z0-9_\\-]*)=)"
          + "[^&;#\\s\"'<>]+");

  /** {@code text} with API-key shaped tokens, URL user-info and credential parameters replaced; null stays null. */
  public static String text(String text) {
    if (text == null || text.isEmpty()) return text;
    String s = KEY_LIKE.matcher(text).replaceAll("[redacted]");
    if (s.indexOf('@') >= 0) s = USER_INFO.matcher(s).replaceAll("$1***@");
    if (s.indexOf('=') >= 0) s = SECRET_PARAM.matcher(s).replaceAll("$1***");
    return s;
  }

  /** A URL fit to show: the same rules as {@link #text}. */
  public static String url(String url) {
    return text(url);
  }
}
