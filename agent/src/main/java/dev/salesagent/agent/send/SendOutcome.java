package dev.salesagent.agent.send;

import java.util.Locale;

/**
 * What happened to one approved draft in one {@code send}.
 *
 * @param mailbox   the sending address chosen, or {@code null} when none was (suppressed before, capped)
 * @param messageId the Message-ID (idempotency key), or {@code null} when no message was built
 * @param detail    why (the suppression entry, the SMTP reply, the cap), or {@code null}
 */
public record SendOutcome(Kind kind, ApprovedDraft draft, String mailbox, String messageId, String detail) {
  public enum Kind {
    /** Handed to the SMTP server and accepted. */
    SENT,
    /** A dry run: everything checked, nothing recorded or sent. */
    WOULD_SEND,
    /** On the suppression list (address hash or domain): not sent, not recorded. */
    SUPPRESSED,
    /** A record for this draft exists: it was sent (or may have been) before. */
    ALREADY_RECORDED,
    /** Every mailbox reached its daily cap: left for another day. */
    CAPPED,
    /** The SMTP server refused it (a reply code): not sent; a later {@code send} may try again. */
    FAILED,
    /** The connection failed mid-way: it may have left; never sent again automatically. */
    UNCERTAIN;

    public String wire() { return name().toLowerCase(Locale.ROOT); }
  }
}
