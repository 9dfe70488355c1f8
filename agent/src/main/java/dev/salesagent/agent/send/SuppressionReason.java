package dev.salesagent.agent.send;

import java.util.Locale;

/** Why an address or a domain must never be emailed. */
public enum SuppressionReason {
  /** The person asked (a reply, the List-Unsubscribe link, {@code suppress add}). */
  UNSUBSCRIBED,
  /** A delivery-status report said the address does not exist (hard bounce). */
  BOUNCED,
  /** The person was erased ({@code leads forget}); only the address's hash is left. */
  ERASED,
  /** A do-not-contact domain or address set by an operator. */
  DO_NOT_CONTACT;

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  public static SuppressionReason fromWire(String s) {
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown suppression reason '" + s + "' (unsubscribed, bounced, erased, do_not_contact)");
    }
  }
}
