package dev.salesagent.agent.qualify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OptOutDetectorTest {
  final OptOutDetector d = OptOutDetector.bundled();

  @Test
  void theReportedLeadIsAnOptOutQuotedByItsSentence() {
    var m = d.find("Met at the webinar. Please remove me from your mailing list. Thanks, Tom").orElseThrow();
    assertThat(m.language()).isEqualTo("en");
    assertThat(m.quote()).isEqualTo("Please remove me from your mailing list.");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // English: the ways people say it
      "Please remove me from your mailing list", "REMOVE ME", "Take me off your list please",
      "Unsubscribe", "unsubscribed last year", "Stop emailing me.", "please stop emailing, thanks",
      "Do not contact", "DO NOT CONTACT - legal hold", "Don’t contact me again", "dont email me",
      "I'd like to opt out of these messages", "opted out via the preference centre", "Not interested.",
      "Not interested, thanks", "We are not interested in a new CRM.", "I am no longer with Acme",
      "Dana is no longer with the company", "Contact has left the company", "I left the company in May",
      "no longer works at Northwind", "Leave me alone", "delete my data under GDPR", "Stop   sending\tme these",
      // German
      "Bitte tragen Sie mich aus Ihrem Verteiler aus", "Ich möchte mich abmelden", "Kein Interesse.",
      "Bitte nicht mehr kontaktieren!", "Keine E-Mails mehr bitte", "Frau Weber ist nicht mehr im Unternehmen",
      "Ich habe das Unternehmen verlassen", "Löschen Sie meine Daten",
      // French
      "Merci de me désabonner", "Désinscrivez-moi", "Retirez-moi de votre liste", "Ne me contactez plus",
      "Pas intéressé.", "Je ne suis plus chez Acme depuis mars", "Elle a quitté l'entreprise",
      "Arrêtez de m’envoyer des e-mails",
      // Spanish
      "Por favor, darme de baja", "Quiero darme de baja de esta lista", "No me contacten más",
      "No estoy interesado.", "Ya no trabajo en Acme", "Dejen de enviarme correos", "Elimíneme de su lista",
      "Ya no formo parte del equipo"
  })
  void positives(String text) {
    assertThat(d.find(text)).as(text).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "We removed the old CRM last quarter", "remove the manual steps from our lead routing",
      "Not interested in a CRM replacement but we need faster lead routing",
      "not interested in the enterprise plan, however the team tier looks right",
      "Kein Interesse an einem neuen CRM, aber an schnellerem Lead-Routing",
      "Pas intéressé par le CRM, mais le routage des leads nous intéresse",
      "No estoy interesado en el CRM, pero sí en el enrutamiento de leads",
      "Our unsubscribe rates doubled after the migration", "we keep a do not contact list in HubSpot",
      "Reps stop emailing leads after two tries", "Our previous RevOps lead is leaving next month",
      "Team is interested in a demo", "Please contact me next week", "We want to remove manual data entry",
      "Taking off next quarter: we hire 12 SDRs", "They left the office early", ""
  })
  void nearMissesAreNotOptOuts(String text) {
    assertThat(d.find(text)).as(text).isEmpty();
  }

  @Test
  void theEarliestStatementIsQuoted() {
    var m = d.find("Not interested. Also: unsubscribe me.").orElseThrow();
    assertThat(m.quote()).isEqualTo("Not interested.");
  }

  @Test
  void aLongSentenceIsQuotedAroundTheMatchWithinTheLimit() {
    String text = "x".repeat(600) + " please remove me " + "y".repeat(600);
    var m = d.find(text).orElseThrow();
    assertThat(m.quote()).hasSizeLessThanOrEqualTo(300).contains("remove me");
    assertThat(text).contains(m.quote());
  }

  @Test
  void phraseListsAreData() {
    var own = new OptOutDetector(new OptOutDetector.Phrases(java.util.Map.of("it",
        new OptOutDetector.Language(List.of("cancellatemi"), List.of("non mi interessa"), List.of("ma"), List.of()))));
    assertThat(own.find("Per favore CANCELLATEMI dalla lista")).isPresent();
    assertThat(own.find("Non mi interessa il CRM ma il routing sì")).isEmpty();
    assertThat(own.find("Please remove me")).isEmpty();
  }

  /** Property: for any text, the matcher returns (never throws), and a quote it returns is taken from the text. */
  @Test
  void neverThrowsOnArbitraryText() {
    Random rnd = new Random(20261203);
    String[] pieces = {"remove me", "Ü", "é", "\u0301", "\uD83D\uDE00", "\uD800", "\uDC00", "'", "’", "-", ".", "\n",
        "not interested", " but ", "ß", "İ", "\u0000", "\t", "unsubscrib", "ﬁ", "Σ", "désabonner", "  "};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(12);
      for (int k = 0; k < n; k++) {
        if (rnd.nextBoolean()) sb.append(pieces[rnd.nextInt(pieces.length)]);
        else sb.append((char) rnd.nextInt(0x3000));
      }
      String s = sb.toString();
      assertThatCode(() -> d.find(s).ifPresent(m -> {
        if (!s.contains(m.quote())) throw new AssertionError("quote not from the text: " + m.quote());
      })).as("input %s", s.codePoints().mapToObj(Integer::toHexString).toList()).doesNotThrowAnyException();
    }
  }
}
