package dev.salesagent.agent.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.qualify.OptOutDetector;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The free triage rules and the MIME reading they stand on, on the test mailbox and on edge cases. */
class FreeRulesTest {
  final FreeRules rules = new FreeRules(OptOutDetector.bundled());

  Triage decide(String file) {
    return rules.decide(MimeReplies.parse(Mailbox.bytes(file))).orElse(null);
  }

  @ParameterizedTest(name = "{0} → {1} by {2}")
  @CsvSource({
      "dsn-user-unknown.eml, bounce, dsn",
      "dsn-mailbox-full.eml, bounce, dsn",
      "dsn-de.eml, bounce, dsn",
      "dsn-es.eml, bounce, dsn",
      "dsn-delayed.eml, other, dsn",
      "bounce-no-report.eml, bounce, mailer-daemon",
      "en-ooo-autosubmitted.eml, out_of_office, auto-submitted",
      "de-abwesend.eml, out_of_office, auto-submitted",
      "en-ooo-xautoreply.eml, out_of_office, x-autoreply",
      "es-ausente.eml, out_of_office, x-autorespond",
      "fr-absence.eml, out_of_office, precedence",
      "en-unsubscribe.eml, unsubscribe, opt-out",
      "en-stop.eml, unsubscribe, opt-out",
      "en-unsubscribe-word.eml, unsubscribe, opt-out",
      "de-abmelden.eml, unsubscribe, opt-out",
      "fr-desabonner.eml, unsubscribe, opt-out",
      "es-baja.eml, unsubscribe, opt-out"})
  void decidesWithoutAModel(String file, String category, String rule) {
    Triage t = decide(file);
    assertThat(t).isNotNull();
    assertThat(t.category().wire()).isEqualTo(category);
    assertThat(t.rule()).isEqualTo(rule);
    assertThat(t.decidedBy()).isEqualTo("rules");
    assertThat(t.costUsd()).isZero();
    assertThat(t.evidence()).isNotBlank();
  }

  @ParameterizedTest(name = "{0} goes to the model")
  @CsvSource({"en-interested-call.eml", "de-interessiert.eml", "fr-interesse.eml", "es-interesado.eml",
      "en-interested-outlook.eml", "en-objection-tool.eml", "en-referral.eml", "en-notnow-quarter.eml",
      "en-ooo-noheader.eml", "en-interested-html.eml"})
  void ourOwnUnsubscribeLineInTheQuotedHistoryDoesNotCount(String file) {
    // every one of these quotes our email, whose last line says: Reply "unsubscribe"
    assertThat(Mailbox.read(file).contains("unsubscribe") || file.contains("html") || file.contains("ooo")).isTrue();
    assertThat(decide(file)).isNull();
  }

  @Test
  void dsnFieldsAreRead() {
    InboundReply r = MimeReplies.parse(Mailbox.bytes("dsn-user-unknown.eml"));
    assertThat(r.dsn()).isNotNull();
    assertThat(r.dsn().finalRecipient()).isEqualTo("ghost@orbit.example");
    assertThat(r.dsn().status()).isEqualTo("5.1.1");
    assertThat(r.dsn().failed()).isTrue();
    assertThat(decide("dsn-user-unknown.eml").evidence()).isEqualTo("Action: failed; Status: 5.1.1");
  }

  @Test
  void replyTextIsTheNewPartOnlyAndReferencesAreRead() {
    // the whole message would match the opt-out detector (our unsubscribe line is quoted in it); the new text does not
    assertThat(OptOutDetector.bundled().find(Mailbox.read("de-interessiert.eml"))).isPresent();
    InboundReply r = MimeReplies.parse(Mailbox.bytes("de-interessiert.eml"));
    assertThat(r.text()).startsWith("Hallo Dana,").endsWith("Jonas").doesNotContain("schrieb").doesNotContain("unsubscribe");
    InboundReply call = MimeReplies.parse(Mailbox.bytes("en-interested-call.eml"));
    assertThat(call.references()).containsExactly("<sa.0123456789abcdef01234567@acme.io>");
    assertThat(call.from()).isEqualTo("sam@orbit.example");
    assertThat(MimeReplies.parse(Mailbox.bytes("en-interested-html.eml")).text()).contains("Please book a demo").doesNotContain("<b>");
  }

  @Test
  void autoSubmittedNoIsAPersonAndPrecedenceBulkIsNotAnAutoReply() {
    String eml = "From: a@b.example\r\nSubject: Re: hi\r\nAuto-Submitted: no\r\nPrecedence: bulk\r\n"
        + "Content-Type: text/plain\r\n\r\nLet's talk tomorrow.\r\n";
    assertThat(rules.decide(MimeReplies.parse(eml.getBytes(StandardCharsets.UTF_8)))).isEmpty();
  }

  @Test
  void aReplyWithoutTextOrHeadersIsLeftToTheModel() {
    InboundReply r = new InboundReply(null, "a@b.example", "", Map.of(), "", java.util.List.of(), null);
    assertThat(rules.decide(r)).isEmpty();
  }

  @Test
  void theMailboxHasFortyRepliesInFourLanguagesOfEveryCategory() {
    var all = Mailbox.all();
    assertThat(all).hasSizeGreaterThanOrEqualTo(40);
    assertThat(all).extracting(Mailbox.Labelled::expected).contains(ReplyCategory.values());
    assertThat(all).extracting(Mailbox.Labelled::file).anyMatch(f -> f.startsWith("de-")).anyMatch(f -> f.startsWith("fr-"))
        .anyMatch(f -> f.startsWith("es-")).anyMatch(f -> f.startsWith("en-"));
    for (var m : all) assertThat(MimeReplies.parse(m.raw())).as(m.file()).isNotNull();
  }
}
