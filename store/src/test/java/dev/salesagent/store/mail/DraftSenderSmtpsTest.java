package dev.salesagent.store.mail;

import static dev.salesagent.store.mail.MailFixtures.draft;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.salesagent.agent.send.DraftSender;
import dev.salesagent.agent.send.MailSettings;
import dev.salesagent.agent.send.SendHooks;
import dev.salesagent.agent.send.SendOutcome.Kind;
import dev.salesagent.agent.send.smtp.VertxSmtpMailer;
import dev.salesagent.store.Database;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Implicit TLS (SMTPS, {@code SALES_AGENT_SMTP_TLS=tls}) against GreenMail's SMTPS server with its self-signed
 * certificate: sent when the certificate is trusted (trust-all, test only), refused — and recorded as failed, never
 * sent — when it is not. STARTTLS cannot be tested this way: GreenMail's SMTP server does not offer STARTTLS.
 */
class DraftSenderSmtpsTest {
  GreenMail mail;
  Vertx vertx;
  Database db;

  @BeforeEach
  void start() {
    ServerSetup smtps = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS);
    smtps.setServerStartupTimeout(60_000); // building the TLS context is slow on a busy machine (2 s default)
    mail = new GreenMail(smtps);
    mail.start();
    mail.setUser("dana@acme.io", "dana@acme.io", "s3cret");
    vertx = Vertx.vertx();
    db = Database.open("jdbc:h2:mem:smtps-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  @AfterEach
  void stop() {
    if (mail != null) mail.stop();
    if (vertx != null) vertx.close();
    if (db != null) db.close();
  }

  MailSettings settings() {
    return MailSettings.fromEnvironment(Map.of(
        MailSettings.HOST, "127.0.0.1", MailSettings.PORT, Integer.toString(mail.getSmtps().getPort()),
        MailSettings.TLS, "tls", MailSettings.USERNAME, "dana@acme.io", MailSettings.PASSWORD, "s3cret",
        MailSettings.FROM, "dana@acme.io", MailSettings.PACE, "0", MailSettings.UNSUBSCRIBE_URL, "https://acme.io/u/{token}"));
  }

  DraftSender.Report send(MailSettings s) throws Exception {
    var log = new JdbcSendLog(db);
    try (var mailer = new VertxSmtpMailer(vertx, s)) {
      return new DraftSender(s, MailFixtures.all(List.of(draft("r1", "L-1", "sam@orbit.example"))), log,
          new JdbcSuppressionList(db), mailer, new MailFixtures.PacedClock(), d -> { }, SendHooks.NONE).send(null, 10, true);
    }
  }

  @Test
  void sendsOverImplicitTlsWithAuth() throws Exception {
    assertThat(settings().tls()).isEqualTo(MailSettings.Tls.TLS);
    var report = send(settings().withTrustAll());
    assertThat(report.outcomes()).extracting(o -> o.kind()).containsExactly(Kind.SENT);
    assertThat(mail.getReceivedMessages()).hasSize(1);
    assertThat(mail.getReceivedMessages()[0].getAllRecipients()[0].toString()).isEqualTo("sam@orbit.example");
  }

  @Test
  void anUntrustedCertificateIsAFailedSendNotASentOne() throws Exception {
    var report = send(settings());
    assertThat(report.outcomes()).extracting(o -> o.kind()).containsExactly(Kind.FAILED);
    assertThat(mail.getReceivedMessages()).isEmpty();
  }
}
