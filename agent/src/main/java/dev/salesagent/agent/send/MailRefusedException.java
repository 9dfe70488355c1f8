package dev.salesagent.agent.send;

/** The SMTP server refused the message with a reply code: it was not accepted, so it was not sent. */
public final class MailRefusedException extends RuntimeException {
  private final int replyCode;

  public MailRefusedException(int replyCode, String message) {
    super(message);
    this.replyCode = replyCode;
  }

  public int replyCode() { return replyCode; }

  /** A 5xx reply: trying again will not help. */
  public boolean permanent() { return replyCode >= 500; }
}
