package dev.salesagent.store.mail;

import static dev.salesagent.store.mail.MailFixtures.draft;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import dev.salesagent.agent.send.ApprovedDraft;
import dev.salesagent.agent.send.DraftSender;
import dev.salesagent.agent.send.MailSettings;
import dev.salesagent.agent.send.SendHooks;
import dev.salesagent.agent.send.SendOutcome.Kind;
import dev.salesagent.agent.send.SendStatus;
import dev.salesagent.agent.send.SuppressionReason;
import dev.salesagent.agent.send.smtp.VertxSmtpMailer;
import dev.salesagent.store.Database;
import io.vertx.core.Vertx;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sending approved drafts to a real SMTP server (GreenMail, in-process) through the Vert.x mail client. */
class DraftSenderSmtpTest {
  GreenMail mail;
  Vertx vertx;
  Database db;
  JdbcSendLog log;
  JdbcSuppressionList suppression;
  MailFixtures.PacedClock clock;

  @BeforeEach
  void start() {
    mail = MailFixtures.greenMail();
    vertx = Vertx.vertx();
    db = Database.open("jdbc:h2:mem:send-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    log = new JdbcSendLog(db);
    suppression = new JdbcSuppressionList(db);
    clock = new MailFixtures.PacedClock();
  }

  @AfterEach
  void stop() {
    mail.stop();
    vertx.close();
    db.close();
  }

  DraftSender sender(MailSettings s, List<ApprovedDraft> drafts, VertxSmtpMailer mailer) {
    return new DraftSender(s, MailFixtures.all(drafts), log, suppression, mailer, clock, clock::pause, SendHooks.NONE);
  }

  @Test
  void sendsWithMessageIdAndOneClickUnsubscribeHeadersAndTheUnsubscribeLine() throws Exception {
    MailSettings s = MailFixtures.settings(mail, 10, Duration.ZERO, "Dana Reyes <dana@acme.io>");
    try (var mailer = new VertxSmtpMailer(vertx, s)) {
      var report = sender(s, List.of(draft("r1", "L-1", "sam@orbit.example")), mailer).send(null, 10, true);
      assertThat(report.counts().get(Kind.SENT)).isEqualTo(1);
      String id = report.outcomes().get(0).messageId();
      MimeMessage[] got = mail.getReceivedMessages();
      assertThat(got).hasSize(1);
      MimeMessage m = got[0];
      assertThat(m.getHeader("Message-ID")[0]).isEqualTo(id);
      String token = id.substring(4, 28);
      assertThat(m.getHeader("List-Unsubscribe")[0])
          .isEqualTo("<https://acme.io/u/" + token + ">, <mailto:dana@acme.io?subject=unsubscribe>");
      assertThat(m.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
      assertThat(m.getHeader("From")[0]).contains("dana@acme.io");
      assertThat(m.getAllRecipients()[0].toString()).isEqualTo("sam@orbit.example");
      assertThat(((String) m.getContent()).replace("\r\n", "\n").strip()).endsWith(MailFixtures.UNSUBSCRIBE);
      assertThat(log.find(id).orElseThrow().status()).isEqualTo(SendStatus.SENT);
    }
  }

  @Test
  void dryRunChecksEverythingButRecordsAndSendsNothing() throws Exception {
    MailSettings s = MailFixtures.settings(mail, 10, Duration.ofSeconds(60), "dana@acme.io");
    suppression.suppressDomain("blocked.example", "test");
    try (var mailer = new VertxSmtpMailer(vertx, s)) {
      var drafts = List.of(draft("r1", "L-1", "a@orbit.example"), draft("r1", "L-2", "b@blocked.example"),
          draft("r1", "L-3", "c@orbit.example"));
      var report = sender(s, drafts, mailer).send(null, 10, false);
      assertThat(report.dryRun()).isTrue();
      assertThat(report.outcomes()).extracting(o -> o.kind()).containsExactly(Kind.WOULD_SEND, Kind.SUPPRESSED, Kind.WOULD_SEND);
      assertThat(mail.getReceivedMessages()).isEmpty();
      assertThat(log.all()).isEmpty();
      assertThat(clock.pauses).as("a dry run never waits").isEmpty();
    }
  }

  @Test
  void aSecondSendOfTheSameDraftsSendsNothingAgain() throws Exception {
    MailSettings s = MailFixtures.settings(mail, 10, Duration.ZERO, "dana@acme.io");
    var drafts = List.of(draft("r1", "L-1", "a@orbit.example"), draft("r1", "L-2", "b@orbit.example"));
    try (var mailer = new VertxSmtpMailer(vertx, s)) {
      assertThat(sender(s, drafts, mailer).send(null, 10, true).counts().get(Kind.SENT)).isEqualTo(2);
      var again = sender(s, drafts, mailer).send(null, 10, true);
      assertThat(again.counts().get(Kind.ALREADY_RECORDED)).isEqualTo(2);
      assertThat(mail.getReceivedMessages()).hasSize(2);
    }
  }

  @Test
  void dailyCapPerMailboxSpreadsOverMailboxesAndStops() throws Exception {
    MailSettings s = MailFixtures.settings(mail, 2, Duration.ZERO, "dana@acme.io", "sam@acme.io");
    List<ApprovedDraft> drafts = new ArrayList<>();
    for (int i = 0; i < 5; i++) drafts.add(draft("r1", "L-" + i, "p" + i + "@orbit.example"));
    try (var mailer = new VertxSmtpMailer(vertx, s)) {
      var report = sender(s, drafts, mailer).send(null, 10, true);
      assertThat(report.outcomes()).extracting(o -> o.kind())
          .containsExactly(Kind.SENT, Kind.SENT, Kind.SENT, Kind.SENT, Kind.CAPPED);
      MimeMessage[] got = mail.getReceivedMessages();
      assertThat(got).hasSize(4);
      long fromDana = Arrays.stream(got).filter(m -> header(m, "From").contains("dana@")).count();
      assertThat(fromDana).isEqualTo(2);
      // the next UTC day the cap starts again
      clock.now = clock.now.plus(Duration.ofDays(1));
      assertThat(sender(s, drafts, mailer).send(null, 10, true).counts().get(Kind.SENT)).isEqualTo(1);
    }
  }

  @Test
  void pacingWaitsBetweenSendsOfOneMailbox() throws Exception {
    MailSettings s = MailFixtures.settings(mail, 10, Duration.ofSeconds(30), "dana@acme.io");
    var drafts = List.of(draft("r1", "L-1", "a@orbit.example"), draft("r1", "L-2", "b@orbit.example"),
        draft("r1", "L-3", "c@orbit.example"));
    try (var mailer = new VertxSmtpMailer(vertx, s)) {
      sender(s, drafts, mailer).send(null, 10, true);
    }
    assertThat(clock.pauses).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(30));
    var times = log.all().stream().map(r -> r.recordedAt()).sorted().toList();
    assertThat(Duration.between(times.get(0), times.get(1))).isEqualTo(Duration.ofSeconds(30));
    assertThat(Duration.between(times.get(1), times.get(2))).isEqualTo(Duration.ofSeconds(30));
    assertThat(mail.getReceivedMessages()).hasSize(3);
  }

  @Test
  void suppressionIsCheckedRightBeforeEachSend() throws Exception {
    MailSettings s = MailFixtures.settings(mail, 10, Duration.ofSeconds(30), "dana@acme.io");
    suppression.suppressAddress("Bounced@Orbit.example", SuppressionReason.BOUNCED, "test");
    suppression.suppressDomain("competitor.example", "test");
    var drafts = List.of(draft("r1", "L-1", "a@orbit.example"), draft("r1", "L-2", "bounced@orbit.example"),
        draft("r1", "L-3", "x@mail.competitor.example"), draft("r1", "L-4", "late@orbit.example"));
    // late@ unsubscribes while the sender waits for its pace
    DraftSender.Pause unsubscribeDuringTheWait = d -> {
      clock.pause(d);
      suppression.suppressAddress("late@orbit.example", SuppressionReason.UNSUBSCRIBED, "reply");
    };
    try (var mailer = new VertxSmtpMailer(vertx, s)) {
      var report = new DraftSender(s, MailFixtures.all(drafts), log, suppression, mailer, clock, unsubscribeDuringTheWait,
          SendHooks.NONE).send(null, 10, true);
      assertThat(report.outcomes()).extracting(o -> o.kind())
          .containsExactly(Kind.SENT, Kind.SUPPRESSED, Kind.SUPPRESSED, Kind.SUPPRESSED);
      assertThat(report.outcomes().get(1).detail()).isEqualTo("address is bounced");
      assertThat(report.outcomes().get(2).detail()).isEqualTo("domain competitor.example is do_not_contact");
      assertThat(report.outcomes().get(3).detail()).isEqualTo("address is unsubscribed");
    }
    assertThat(mail.getReceivedMessages()).hasSize(1);
    assertThat(suppression.entries()).extracting(e -> e[0]).noneMatch(e -> e.contains("@"));
  }

  @Test
  void starttlsRequiredRefusesAServerWithoutItAndNothingLeaves() throws Exception {
    MailSettings plain = MailFixtures.settings(mail, 10, Duration.ZERO, "dana@acme.io");
    MailSettings s = new MailSettings(plain.host(), plain.port(), MailSettings.Tls.STARTTLS, plain.username(),
        plain.password(), plain.mailboxes(), 10, Duration.ZERO, plain.unsubscribeUrl(), false);
    try (var mailer = new VertxSmtpMailer(vertx, s)) {
      var report = sender(s, List.of(draft("r1", "L-1", "a@orbit.example")), mailer).send(null, 10, true);
      assertThat(report.outcomes().get(0).kind()).isEqualTo(Kind.FAILED);
      assertThat(report.outcomes().get(0).detail()).contains("STARTTLS");
    }
    assertThat(mail.getReceivedMessages()).isEmpty();
    assertThat(log.all().get(0).status()).isEqualTo(SendStatus.FAILED);
  }

  @Test
  void aRecordLeftByACrashBecomesUncertainAndIsNeverSent() throws Exception {
    MailSettings s = MailFixtures.settings(mail, 10, Duration.ZERO, "dana@acme.io");
    var d = draft("r1", "L-1", "a@orbit.example");
    var probe = new DraftSender(s, MailFixtures.all(List.of(d)), log, suppression, null, clock, clock::pause, SendHooks.NONE);
    String id = probe.compose(d, s.mailboxes().get(0)).messageId();
    log.record(new dev.salesagent.agent.send.SendRecord(id, "r1", "L-1", "dana@acme.io", d.email(), "s", SendStatus.RECORDED,
        clock.instant(), null, null));
    try (var mailer = new VertxSmtpMailer(vertx, s)) {
      var report = sender(s, List.of(d), mailer).send(null, 10, true);
      assertThat(report.becameUncertain()).extracting(r -> r.messageId()).containsExactly(id);
      assertThat(report.outcomes().get(0).kind()).isEqualTo(Kind.ALREADY_RECORDED);
    }
    assertThat(mail.getReceivedMessages()).isEmpty();
    assertThat(log.find(id).orElseThrow().status()).isEqualTo(SendStatus.UNCERTAIN);
  }

  static String header(MimeMessage m, String name) {
    try {
      return m.getHeader(name)[0];
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> unused() { return Map.of(); }
}
