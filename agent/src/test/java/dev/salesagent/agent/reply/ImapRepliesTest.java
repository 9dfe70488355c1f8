package dev.salesagent.agent.reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.salesagent.agent.qualify.OptOutDetector;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading replies from a real IMAP server (GreenMail, in-process): unseen only, read-only unless asked, then triaged. */
class ImapRepliesTest {
  GreenMail mail;
  GreenMailUser dana;

  @BeforeEach
  void start() throws Exception {
    mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
    mail.start();
    dana = mail.setUser("dana@acme.io", "dana@acme.io", "s3cret");
    for (String f : List.of("dsn-user-unknown.eml", "en-unsubscribe.eml", "de-abwesend.eml")) {
      dana.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(Mailbox.bytes(f))));
    }
  }

  @AfterEach
  void stop() {
    mail.stop();
  }

  ImapReplies reader(String password) {
    return new ImapReplies(Map.of(ImapReplies.HOST, "127.0.0.1", ImapReplies.PORT, Integer.toString(mail.getImap().getPort()),
        ImapReplies.TLS, "none", ImapReplies.USERNAME, "dana@acme.io", ImapReplies.PASSWORD, password));
  }

  @Test
  void readsUnseenMessagesReadOnlyUnlessAskedAndTheyTriageByRules() throws Exception {
    ImapReplies imap = reader("s3cret");
    assertThat(imap.missing()).isEmpty();
    List<ImapReplies.Fetched> first = imap.fetchUnseen(10, false);
    assertThat(first).hasSize(3);
    assertThat(imap.fetchUnseen(10, false)).as("read-only: still unseen").hasSize(3);
    assertThat(imap.fetchUnseen(2, true)).hasSize(2);
    assertThat(imap.fetchUnseen(10, false)).as("two were marked seen").hasSize(1);

    FreeRules rules = new FreeRules(OptOutDetector.bundled());
    List<String> categories = first.stream().map(f -> rules.decide(MimeReplies.parse(f.raw())).orElseThrow().category().wire()).toList();
    assertThat(categories).containsExactlyInAnyOrder("bounce", "unsubscribe", "out_of_office");
  }

  @Test
  void aWrongPasswordIsAnErrorAndMissingSettingsAreNamed() {
    assertThatThrownBy(() -> reader("wrong").fetchUnseen(10, false)).isInstanceOf(jakarta.mail.AuthenticationFailedException.class);
    assertThat(new ImapReplies(Map.of()).missing())
        .containsExactly(ImapReplies.HOST, ImapReplies.USERNAME, ImapReplies.PASSWORD);
  }
}
