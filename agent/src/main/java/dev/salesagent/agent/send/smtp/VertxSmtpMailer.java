package dev.salesagent.agent.send.smtp;

import dev.salesagent.agent.send.MailNotSentException;
import dev.salesagent.agent.send.MailSettings;
import dev.salesagent.agent.send.Mailer;
import dev.salesagent.agent.send.OutboundEmail;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.List;

/**
 * {@link Mailer} over the Vert.x mail client: STARTTLS required by default (the client refuses to go on when the
 * server does not offer it, so credentials and mail never cross in clear), implicit TLS, or none (loopback tests);
 * AUTH when a username is set. Our Message-ID replaces the client's generated one (it is the idempotency key). An
 * SMTP reply code, or a failure before the transaction, becomes {@link MailNotSentException}; anything else (connection, TLS) stays as it is: its outcome
 * is unknown.
 */
public final class VertxSmtpMailer implements Mailer {
  private final MailClient client;

  public VertxSmtpMailer(Vertx vertx, MailSettings s) {
    MailConfig cfg = new MailConfig().setHostname(s.host()).setPort(s.port()).setKeepAlive(true).setMaxPoolSize(1);
    switch (s.tls()) {
      case STARTTLS -> cfg.setStarttls(StartTLSOptions.REQUIRED);
      case TLS -> cfg.setSsl(true).setStarttls(StartTLSOptions.DISABLED);
      case NONE -> cfg.setStarttls(StartTLSOptions.DISABLED);
    }
    if (s.trustAll()) cfg.setTrustAll(true);
    if (s.username() != null) cfg.setLogin(LoginOption.REQUIRED).setUsername(s.username()).setPassword(s.password());
    else cfg.setLogin(LoginOption.DISABLED);
    if (!s.mailboxes().isEmpty()) {
      String a = s.mailboxes().get(0).address();
      cfg.setOwnHostname(a.substring(a.indexOf('@') + 1));
    }
    this.client = MailClient.create(vertx, cfg);
  }

  @Override
  public Future<Void> send(OutboundEmail e) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    e.headers().forEach(headers::add);
    MailMessage m = new MailMessage().setFrom(e.from()).setTo(List.of(e.to())).setSubject(e.subject()).setText(e.text())
        .setHeaders(headers);
    return client.sendMail(m).<Void>mapEmpty().recover(err -> {
      if (err instanceof SMTPException smtp) {
        return Future.failedFuture(new MailNotSentException(smtp.getReplyCode(), "the SMTP server answered " + smtp.getReplyCode() + ": " + smtp.getReplyMessage()));
      }
      if (beforeTransaction(err)) return Future.failedFuture(new MailNotSentException(0, "no mail transaction: " + err.getMessage()));
      return Future.failedFuture(err);
    });
  }

  /** Failures that happen before MAIL FROM: nothing was handed over. A broken connection later stays uncertain. */
  static boolean beforeTransaction(Throwable err) {
    if (err instanceof java.net.ConnectException || err instanceof java.net.UnknownHostException
        || err instanceof javax.net.ssl.SSLException) return true;
    String m = String.valueOf(err.getMessage());
    return m.contains("STARTTLS required") || m.contains("Credentials must not be null") || m.contains("Username or password is null");
  }

  @Override
  public void close() {
    client.close();
  }
}
