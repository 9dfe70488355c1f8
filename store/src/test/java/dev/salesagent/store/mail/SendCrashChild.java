package dev.salesagent.store.mail;

import dev.salesagent.agent.send.DraftSender;
import dev.salesagent.agent.send.MailSettings;
import dev.salesagent.agent.send.SendHooks;
import dev.salesagent.agent.send.smtp.VertxSmtpMailer;
import dev.salesagent.store.Database;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The process {@link SendCrashTest} kills: sends one approved draft and, at the hook named by its third argument
 * ({@code recorded} or {@code accepted}), says {@code STOPPED <message-id>} and waits to be killed with SIGKILL.
 */
public final class SendCrashChild {
  public static void main(String[] args) throws Exception {
    String dbUrl = args[0];
    int smtpPort = Integer.parseInt(args[1]);
    String stopAt = args[2];
    MailSettings s = MailSettings.fromEnvironment(Map.of(MailSettings.HOST, "127.0.0.1", MailSettings.PORT,
        Integer.toString(smtpPort), MailSettings.TLS, "none", MailSettings.FROM, "dana@acme.io",
        MailSettings.UNSUBSCRIBE_URL, "https://acme.io/u/{token}", MailSettings.PACE, "0"));
    SendHooks stop = new SendHooks() {
      @Override public void recorded(String id) { if (stopAt.equals("recorded")) halt(id); }
      @Override public void accepted(String id) { if (stopAt.equals("accepted")) halt(id); }
    };
    Database db = Database.open(dbUrl);
    Vertx vertx = Vertx.vertx();
    var mailer = new VertxSmtpMailer(vertx, s);
    new DraftSender(s, MailFixtures.all(List.of(SendCrashTest.DRAFT)), new JdbcSendLog(db), new JdbcSuppressionList(db),
        mailer, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), stop).send(null, 10, true);
    System.out.println("FINISHED");
    System.exit(0);
  }

  private static void halt(String id) {
    System.out.println("STOPPED " + id);
    System.out.flush();
    try {
      Thread.sleep(Duration.ofMinutes(5).toMillis()); // the test kills us long before
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.exit(7);
  }
}
