package dev.salesagent.agent.reply;

import dev.salesagent.agent.qualify.OptOutDetector;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Triage without a model, in this order: a DSN (RFC 3464 {@code multipart/report; report-type=delivery-status}) whose
 * action is {@code failed} is a bounce (a {@code delayed} one is {@code other}); a bounce without a proper report
 * (from {@code MAILER-DAEMON}/{@code postmaster} with a failure subject); RFC 3834 {@code Auto-Submitted} other than
 * {@code no}, {@code X-Autoreply}, {@code X-Autorespond} and {@code Precedence: auto_reply} are automatic replies
 * ({@code out_of_office}); then the lead opt-out detector ({@link OptOutDetector}: remove me, abmelden, désabonner,
 * darme de baja, …) on the reply's own text is {@code unsubscribe}. Anything else goes to the model.
 */
public final class FreeRules {
  private static final Pattern DAEMON = Pattern.compile("(?i)^(mailer-daemon|postmaster|mail-daemon)@");
  private static final Pattern FAILURE_SUBJECT = Pattern.compile(
      "(?i)undeliver|delivery status notification \\(failure\\)|returned mail|mail delivery (failed|failure)|"
          + "delivery has failed|unzustellbar|non remis|non distribu|no se (ha )?pod(ido|ría) entregar|failure notice");
  private final OptOutDetector optOut;

  public FreeRules(OptOutDetector optOut) {
    this.optOut = optOut;
  }

  public Optional<Triage> decide(InboundReply r) {
    if (r.dsn() != null) {
      var d = r.dsn();
      String evidence = "Action: " + d.action() + (d.status() == null ? "" : "; Status: " + d.status());
      return Optional.of(Triage.byRule(d.failed() ? ReplyCategory.BOUNCE : ReplyCategory.OTHER, "dsn", evidence));
    }
    if (r.from() != null && DAEMON.matcher(r.from()).find() && FAILURE_SUBJECT.matcher(r.subject()).find()) {
      return Optional.of(Triage.byRule(ReplyCategory.BOUNCE, "mailer-daemon", "Subject: " + r.subject()));
    }
    String auto = r.header("auto-submitted");
    if (auto != null && !auto.strip().toLowerCase(Locale.ROOT).startsWith("no")) {
      return Optional.of(Triage.byRule(ReplyCategory.OUT_OF_OFFICE, "auto-submitted", "Auto-Submitted: " + auto));
    }
    for (String h : new String[] {"x-autoreply", "x-autorespond"}) {
      String v = r.header(h);
      if (v != null) return Optional.of(Triage.byRule(ReplyCategory.OUT_OF_OFFICE, h, h + ": " + v));
    }
    String precedence = r.header("precedence");
    if (precedence != null && precedence.strip().equalsIgnoreCase("auto_reply")) {
      return Optional.of(Triage.byRule(ReplyCategory.OUT_OF_OFFICE, "precedence", "Precedence: " + precedence));
    }
    var m = optOut.find(r.text());
    if (m.isPresent()) return Optional.of(Triage.byRule(ReplyCategory.UNSUBSCRIBE, "opt-out", m.get().quote()));
    return Optional.empty();
  }
}
