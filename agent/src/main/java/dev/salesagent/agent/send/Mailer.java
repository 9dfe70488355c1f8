package dev.salesagent.agent.send;

import io.vertx.core.Future;

/** Hands one email to an SMTP server. Implemented by {@code smtp/VertxSmtpMailer}. */
public interface Mailer extends AutoCloseable {
  /**
   * Sends {@code email}. Fails with {@link MailNotSentException} when the server answered with a refusal (the message
   * was not accepted), with any other exception when the outcome is unknown (connection lost, timeout).
   */
  Future<Void> send(OutboundEmail email);

  @Override
  void close();
}
