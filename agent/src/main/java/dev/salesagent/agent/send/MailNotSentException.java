package dev.salesagent.agent.send;

/**
 * The message certainly did not leave: the SMTP server refused it with a reply code, or the connection failed before
 * the mail transaction began (connect, TLS, STARTTLS not offered, AUTH). A later {@code send} may try it again.
 */
public final class MailNotSentException extends RuntimeException {
  private final int replyCode;

  /** @param replyCode the SMTP reply code, 0 when the failure came before any reply to the transaction */
  public MailNotSentException(int replyCode, String message) {
    super(message);
    this.replyCode = replyCode;
  }

  public int replyCode() { return replyCode; }

  /** A 5xx reply: trying again will not help. */
  public boolean permanent() { return replyCode >= 500; }
}
