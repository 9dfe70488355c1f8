package dev.salesagent.agent.send;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * RFC 8058 one-click unsubscribe: the token in the List-Unsubscribe URL of one of our emails (the 24 hex digits of its
 * Message-ID, {@link MessageIds#token}) names the send; its recipient goes on the suppression list (unsubscribed).
 * The token is the credential — 96 bits derived from the draft, never listed anywhere — so an unknown token must reveal
 * nothing. Idempotent: a second request finds the address already suppressed and succeeds again. Blocking.
 */
public final class OneClickUnsubscribe {
  private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{24}");
  private final SendLog sends;
  private final SuppressionList suppression;

  public OneClickUnsubscribe(SendLog sends, SuppressionList suppression) {
    this.sends = sends;
    this.suppression = suppression;
  }

  /** What happened to a token. */
  public enum Result {
    /** The send's recipient is on the suppression list now (or already was). */
    UNSUBSCRIBED,
    /** No send of ours has this token (or it is malformed): the caller answers 404 and says nothing more. */
    UNKNOWN
  }

  /** True when {@code token} names one of our sends (for the confirmation page; suppresses nothing). */
  public boolean known(String token) {
    return send(token).isPresent();
  }

  /** Suppresses the recipient of the send {@code token} names. */
  public Result unsubscribe(String token) {
    Optional<SendRecord> s = send(token);
    if (s.isEmpty()) return Result.UNKNOWN;
    String to = s.get().recipient();
    // an erased lead's send keeps no address; it is suppressed (erased) already
    if (to != null && !to.isBlank()) suppression.suppressAddress(to, SuppressionReason.UNSUBSCRIBED, "list-unsubscribe " + s.get().messageId());
    return Result.UNSUBSCRIBED;
  }

  private Optional<SendRecord> send(String token) {
    if (token == null) return Optional.empty();
    String t = token.strip().toLowerCase(java.util.Locale.ROOT);
    if (!TOKEN.matcher(t).matches()) return Optional.empty();
    return sends.findByToken(t);
  }
}
