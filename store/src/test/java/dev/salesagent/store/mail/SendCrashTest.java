package dev.salesagent.store.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import dev.salesagent.agent.send.ApprovedDraft;
import dev.salesagent.agent.send.DraftSender;
import dev.salesagent.agent.send.SendHooks;
import dev.salesagent.agent.send.SendOutcome.Kind;
import dev.salesagent.agent.send.SendStatus;
import dev.salesagent.agent.send.smtp.VertxSmtpMailer;
import dev.salesagent.store.Database;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A send process killed with SIGKILL between record and mark never leads to a second send: a child JVM sends one
 * approved draft to GreenMail and stops at a hook (after the durable record, or after the SMTP server accepted the
 * message but before the mark); the test kills it with {@code kill -9}, then runs {@code send} again in-process on
 * the same H2 file.
 */
class SendCrashTest {
  static final ApprovedDraft DRAFT = MailFixtures.draft("crash-run", "L-crash", "pat@orbit.example");

  @ParameterizedTest(name = "killed after {0}")
  @CsvSource({"recorded, 0", "accepted, 1"})
  void sigkillBetweenRecordAndMarkNeverSendsTwice(String stopAt, int deliveredBeforeKill) throws Exception {
    GreenMail mail = MailFixtures.greenMail();
    Path dir = Path.of("target", "send-crash", UUID.randomUUID().toString()).toAbsolutePath();
    String url = "jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE";
    try {
      String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
          SendCrashChild.class.getName(), url, Integer.toString(mail.getSmtp().getPort()), stopAt)
          .redirectErrorStream(true).start();
      AtomicReference<String> stopped = new AtomicReference<>();
      StringBuilder output = new StringBuilder();
      Thread reader = new Thread(() -> {
        try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            synchronized (output) { output.append(line).append('\n'); }
            if (line.startsWith("STOPPED ")) stopped.set(line.substring(8));
          }
        } catch (java.io.IOException ignored) {
          // the process died
        }
      });
      reader.setDaemon(true);
      reader.start();
      await().atMost(Duration.ofSeconds(120)).until(() -> stopped.get() != null || !p.isAlive());
      assertThat(stopped.get()).as("the child must reach the hook: " + output).isNotNull();
      Runtime.getRuntime().exec(new String[] {"kill", "-9", Long.toString(p.pid())}).waitFor();
      p.waitFor();
      assertThat(p.exitValue()).isEqualTo(137);
      assertThat(mail.getReceivedMessages()).hasSize(deliveredBeforeKill);

      Vertx vertx = Vertx.vertx();
      try (Database db = Database.open(url)) {
        JdbcSendLog log = new JdbcSendLog(db);
        assertThat(log.find(stopped.get()).orElseThrow().status()).isEqualTo(SendStatus.RECORDED);
        var s = MailFixtures.settings(mail, 10, Duration.ZERO, "dana@acme.io");
        try (var mailer = new VertxSmtpMailer(vertx, s)) {
          var report = new DraftSender(s, MailFixtures.all(List.of(DRAFT)), log, new JdbcSuppressionList(db), mailer,
              java.time.Clock.systemUTC(), d -> { }, SendHooks.NONE).send(null, 10, true);
          assertThat(report.becameUncertain()).extracting(r -> r.messageId()).containsExactly(stopped.get());
          assertThat(report.outcomes()).extracting(o -> o.kind()).containsExactly(Kind.ALREADY_RECORDED);
        }
        assertThat(log.find(stopped.get()).orElseThrow().status()).isEqualTo(SendStatus.UNCERTAIN);
      } finally {
        vertx.close();
      }
      assertThat(mail.getReceivedMessages()).as("never a second copy").hasSize(deliveredBeforeKill);
    } finally {
      mail.stop();
    }
  }
}
