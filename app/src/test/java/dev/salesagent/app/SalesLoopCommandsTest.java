package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.outreach.PersonalisationPoint;
import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.store.Database;
import dev.salesagent.store.lead.JdbiLeadRepository;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sales loop's commands on one database: {@code send} (dry run, then {@code --send} to GreenMail), {@code replies}
 * (an unsubscribe reply to the sent message), {@code suppress check}, {@code leads forget}.
 */
class SalesLoopCommandsTest {
  @TempDir Path dir;
  GreenMail mail;
  String url;
  PrintStream savedOut, savedErr;
  ByteArrayOutputStream out, err;

  @BeforeEach
  void setUp() {
    mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    savedOut = System.out;
    savedErr = System.err;
    reset();
  }

  void reset() {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    System.setOut(savedOut);
    System.setErr(savedErr);
    RouterBoot.overrideEnv(null);
    mail.stop();
  }

  String out() { return out.toString(StandardCharsets.UTF_8); }
  String err() { return err.toString(StandardCharsets.UTF_8); }

  void approvedDraftFor(String email) {
    try (Database db = Database.open(url)) {
      Lead lead = Lead.of("Sam", "Lee", email, "Orbit", "VP Sales");
      new JdbiLeadRepository(db).upsert(null, List.of(lead));
      OutreachDraft d = new OutreachDraft("Onboarding in three weeks", "You said onboarding takes six weeks.",
          List.of(new PersonalisationPoint("six weeks", "onboarding takes six weeks")), "A call on Thursday?",
          "Not the right time? Reply \"unsubscribe\" and I won't email you again.");
      OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
      db.jdbi().useHandle(h -> {
        h.execute("INSERT INTO lead_results (run_id, lead_id, step, status, result_json, cost_usd, calls, latency_ms, fallbacks, started_at, finished_at) "
            + "VALUES ('run-1', ?, 'outreach', 'done', ?, 0.01, 1, 5, 0, ?, ?)", lead.id(), AgentJson.write(d), at, at);
        h.execute("INSERT INTO draft_reviews (run_id, lead_id, draft_at, status, decided_admin, decided_at) VALUES ('run-1', ?, ?, 'approved', true, ?)",
            lead.id(), at, at);
      });
    }
  }

  Map<String, String> smtpEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("SALES_AGENT_SMTP_HOST", "127.0.0.1");
    env.put("SALES_AGENT_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()));
    env.put("SALES_AGENT_SMTP_TLS", "none");
    env.put("SALES_AGENT_MAIL_FROM", "Dana Reyes <dana@acme.io>");
    env.put("SALES_AGENT_MAIL_PACE_SECONDS", "0");
    env.put("SALES_AGENT_UNSUBSCRIBE_URL", "https://acme.io/u/{token}");
    return env;
  }

  @Test
  void sendRepliesSuppressAndForget() throws Exception {
    approvedDraftFor("sam@orbit.example");
    Map<String, String> env = smtpEnv();
    env.remove("SALES_AGENT_UNSUBSCRIBE_URL");
    RouterBoot.overrideEnv(env);
    assertThat(Main.execute("send", "--send", "--db-url", url)).isEqualTo(Main.EXIT_USAGE);
    assertThat(err()).contains("set SALES_AGENT_UNSUBSCRIBE_URL");

    RouterBoot.overrideEnv(smtpEnv());
    reset();
    assertThat(Main.execute("send", "--db-url", url)).isEqualTo(Main.EXIT_OK);
    assertThat(out()).contains("would_send").contains("sam@orbit.example");
    assertThat(err()).contains("dry run (nothing sent; add --send)");
    assertThat(mail.getReceivedMessages()).isEmpty();

    reset();
    assertThat(Main.execute("send", "--send", "--db-url", url)).isEqualTo(Main.EXIT_OK);
    assertThat(out()).startsWith("sent");
    assertThat(mail.getReceivedMessages()).hasSize(1);
    String messageId = mail.getReceivedMessages()[0].getHeader("Message-ID")[0];
    reset();
    assertThat(Main.execute("send", "--send", "--db-url", url)).isEqualTo(Main.EXIT_OK);
    assertThat(err()).contains("no approved draft waiting");
    assertThat(mail.getReceivedMessages()).hasSize(1);

    Path reply = dir.resolve("reply.eml");
    Files.writeString(reply, "From: Sam Lee <sam@orbit.example>\r\nTo: dana@acme.io\r\nSubject: Re: Onboarding\r\n"
        + "Message-ID: <r1@orbit.example>\r\nIn-Reply-To: " + messageId + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
        + "Please take me off your list.\r\n\r\nOn Tue, Dana Reyes wrote:\r\n> A call on Thursday?\r\n");
    reset();
    assertThat(Main.execute("replies", reply.toString(), "--db-url", url)).as(err()).isEqualTo(Main.EXIT_OK);
    assertThat(out()).contains("unsubscribe\trule opt-out").contains("suppressed sender (unsubscribed)")
        .contains("lead " + Lead.idFor("sam@orbit.example"));
    reset();
    assertThat(Main.execute("replies", reply.toString(), "--db-url", url)).isEqualTo(Main.EXIT_OK);
    assertThat(out()).contains("seen before");

    reset();
    Main.execute("suppress", "check", "SAM@orbit.example", "--db-url", url);
    assertThat(out()).contains("suppressed: address is unsubscribed");

    reset();
    assertThat(Main.execute("leads", "forget", "sam@orbit.example", "--db-url", url)).isEqualTo(Main.EXIT_OK);
    assertThat(out()).contains("leads: 1").contains("email_sends: 1").contains("email_replies: 1").contains("lead_results: 1");
    try (Database db = Database.open(url)) {
      int left = db.jdbi().withHandle(h -> h.createQuery("SELECT (SELECT COUNT(*) FROM leads) + (SELECT COUNT(*) FROM email_sends) "
          + "+ (SELECT COUNT(*) FROM email_replies) + (SELECT COUNT(*) FROM lead_results) + (SELECT COUNT(*) FROM draft_reviews)")
          .mapTo(Integer.class).one());
      assertThat(left).isZero();
    }
    reset();
    Main.execute("suppress", "check", "sam@orbit.example", "--db-url", url);
    assertThat(out()).contains("suppressed");
  }
}
