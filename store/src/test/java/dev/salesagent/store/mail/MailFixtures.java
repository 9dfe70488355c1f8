package dev.salesagent.store.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.outreach.PersonalisationPoint;
import dev.salesagent.agent.send.ApprovedDraft;
import dev.salesagent.agent.send.ApprovedDrafts;
import dev.salesagent.agent.send.MailSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Shared pieces of the sending tests: drafts, settings for a GreenMail server, a clock the pauses move. */
final class MailFixtures {
  private MailFixtures() {}

  static final String UNSUBSCRIBE = "Not the right time? Reply \"unsubscribe\" and I won't email you again.";

  static GreenMail greenMail() {
    GreenMail g = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
        new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
    g.start();
    g.setUser("dana@acme.io", "dana@acme.io", "s3cret");
    return g;
  }

  static MailSettings settings(GreenMail g, int cap, Duration pace, String... from) {
    return MailSettings.fromEnvironment(Map.of(
        MailSettings.HOST, "127.0.0.1", MailSettings.PORT, Integer.toString(g.getSmtp().getPort()),
        MailSettings.TLS, "none", MailSettings.USERNAME, "dana@acme.io", MailSettings.PASSWORD, "s3cret",
        MailSettings.FROM, String.join(",", from), MailSettings.CAP, Integer.toString(cap),
        MailSettings.PACE, Long.toString(pace.toSeconds()), MailSettings.UNSUBSCRIBE_URL, "https://acme.io/u/{token}"));
  }

  static ApprovedDraft draft(String run, String leadId, String email) {
    return new ApprovedDraft(run, leadId, email, new OutreachDraft("Faster onboarding at " + leadId,
        "You said onboarding takes six weeks. We cut that in half for teams like yours.",
        List.of(new PersonalisationPoint("onboarding takes six weeks", "onboarding takes six weeks")),
        "Worth a 15-minute call next week?", UNSUBSCRIBE));
  }

  /** Returns every draft it was given, sent or not: the send log alone must stop a second send. */
  static ApprovedDrafts all(List<ApprovedDraft> drafts) {
    return (run, limit) -> drafts.stream().filter(d -> run == null || d.runId().equals(run)).limit(limit).toList();
  }

  /** A clock that only moves when a pause is asked for, and the pauses asked for. */
  static final class PacedClock extends Clock {
    Instant now = Instant.parse("2026-12-03T09:00:00Z");
    final List<Duration> pauses = new ArrayList<>();

    void pause(Duration d) {
      pauses.add(d);
      now = now.plus(d);
    }

    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }
}
