package dev.salesagent.agent.send;

import dev.salesagent.agent.lead.Lead;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SMTP and sending settings, read from the environment (docs/CONFIGURATION.md "Sending and replies"). Credentials never
 * appear in {@link #toString()}.
 *
 * @param mailboxes     the sending addresses (round robin by room left), each with the daily cap
 * @param pace          the least time between two sends from one mailbox
 * @param unsubscribeUrl the one-click (RFC 8058) HTTPS URL; {@code {token}} is replaced by the message's token, else
 *                      {@code ?t=TOKEN} is appended; {@code null} when not configured (only a dry run is possible)
 */
public record MailSettings(String host, int port, Tls tls, String username, String password, List<Mailbox> mailboxes,
    int dailyCap, Duration pace, String unsubscribeUrl, boolean trustAll) {

  /** How the connection is secured: STARTTLS required (the default), implicit TLS, or none (a loopback test server). */
  public enum Tls { STARTTLS, TLS, NONE }

  /** A sending address with an optional display name. */
  public record Mailbox(String name, String address) {
    public Mailbox {
      address = address.strip().toLowerCase(Locale.ROOT);
      if (!Lead.EMAIL.matcher(address).matches()) throw new IllegalArgumentException("'" + address + "' is not an email address");
    }

    /** {@code Name <address>} or the address. */
    public String header() {
      return name == null || name.isBlank() ? address : "\"" + name.replace("\"", "") + "\" <" + address + ">";
    }
  }

  public static final String HOST = "SALES_AGENT_SMTP_HOST", PORT = "SALES_AGENT_SMTP_PORT", TLS = "SALES_AGENT_SMTP_TLS",
      USERNAME = "SALES_AGENT_SMTP_USERNAME", PASSWORD = "SALES_AGENT_SMTP_PASSWORD", FROM = "SALES_AGENT_MAIL_FROM",
      CAP = "SALES_AGENT_MAIL_DAILY_CAP", PACE = "SALES_AGENT_MAIL_PACE_SECONDS",
      UNSUBSCRIBE_URL = "SALES_AGENT_UNSUBSCRIBE_URL";

  public MailSettings {
    mailboxes = List.copyOf(mailboxes);
    if (dailyCap < 0) throw new IllegalArgumentException(CAP + " must be 0 or more");
    if (pace.isNegative()) throw new IllegalArgumentException(PACE + " must be 0 or more");
    if (unsubscribeUrl != null) {
      URI u = URI.create(unsubscribeUrl.replace("{token}", "t"));
      // RFC 8058 section 3.1: the one-click URI must be HTTPS.
      if (!"https".equalsIgnoreCase(u.getScheme())) throw new IllegalArgumentException(UNSUBSCRIBE_URL + " must be an https:// URL (RFC 8058)");
    }
  }

  /** Reads the settings; what is missing for a real send is reported by {@link #missingForSending()}. */
  public static MailSettings fromEnvironment(Map<String, String> env) {
    Tls tls = switch (env.getOrDefault(TLS, "starttls").strip().toLowerCase(Locale.ROOT)) {
      case "starttls" -> Tls.STARTTLS;
      case "tls", "ssl", "implicit" -> Tls.TLS;
      case "none" -> Tls.NONE;
      default -> throw new IllegalArgumentException(TLS + " must be starttls, tls or none");
    };
    int port = integer(env, PORT, tls == Tls.TLS ? 465 : 587);
    List<Mailbox> boxes = new ArrayList<>();
    String from = env.get(FROM);
    if (from != null) {
      for (String part : from.split(",")) {
        String p = part.strip();
        if (p.isEmpty()) continue;
        int lt = p.indexOf('<');
        if (lt >= 0 && p.endsWith(">")) boxes.add(new Mailbox(p.substring(0, lt).strip().replace("\"", ""), p.substring(lt + 1, p.length() - 1)));
        else boxes.add(new Mailbox(null, p));
      }
    }
    return new MailSettings(blankToNull(env.get(HOST)), port, tls, blankToNull(env.get(USERNAME)), env.get(PASSWORD), boxes,
        integer(env, CAP, 50), Duration.ofSeconds(integer(env, PACE, 90)), blankToNull(env.get(UNSUBSCRIBE_URL)), false);
  }

  /** The variables a real send still needs, e.g. {@code [SALES_AGENT_SMTP_HOST]}; empty when it can send. */
  public List<String> missingForSending() {
    List<String> missing = new ArrayList<>();
    if (host == null) missing.add(HOST);
    if (mailboxes.isEmpty()) missing.add(FROM);
    if (unsubscribeUrl == null) missing.add(UNSUBSCRIBE_URL);
    if (username != null && (password == null || password.isEmpty())) missing.add(PASSWORD);
    return missing;
  }

  /** The RFC 8058 one-click URL for a message token. */
  public String unsubscribeUrlFor(String token) {
    if (unsubscribeUrl == null) return null;
    if (unsubscribeUrl.contains("{token}")) return unsubscribeUrl.replace("{token}", token);
    return unsubscribeUrl + (unsubscribeUrl.contains("?") ? "&" : "?") + "t=" + token;
  }

  public MailSettings withTrustAll() {
    return new MailSettings(host, port, tls, username, password, mailboxes, dailyCap, pace, unsubscribeUrl, true);
  }

  private static int integer(Map<String, String> env, String name, int dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) return dflt;
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + v + "'");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  @Override
  public String toString() {
    return "MailSettings[host=" + host + ", port=" + port + ", tls=" + tls + ", auth=" + (username != null)
        + ", mailboxes=" + mailboxes + ", dailyCap=" + dailyCap + ", pace=" + pace + ", unsubscribeUrl=" + unsubscribeUrl + "]";
  }
}
