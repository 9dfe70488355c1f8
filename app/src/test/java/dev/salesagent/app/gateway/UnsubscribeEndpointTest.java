package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.salesagent.agent.send.ApprovedDraft;
import dev.salesagent.agent.send.DraftSender;
import dev.salesagent.agent.send.MailSettings;
import dev.salesagent.agent.send.ReviewedDrafts;
import dev.salesagent.agent.send.SendHooks;
import dev.salesagent.agent.send.SendOutcome.Kind;
import dev.salesagent.agent.send.SuppressionReason;
import dev.salesagent.agent.send.smtp.VertxSmtpMailer;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.store.Database;
import dev.salesagent.store.review.JdbiDraftStore;
import dev.salesagent.store.mail.JdbcSendLog;
import dev.salesagent.store.mail.JdbcSuppressionList;
import io.vertx.core.Vertx;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 8058 one-click unsubscribe over loopback: an approved draft is sent through the Vert.x mail client to GreenMail,
 * the List-Unsubscribe URL is taken from the received message and POSTed as a mail client would; after that
 * {@code send} refuses the recipient. A GET only shows the confirmation page; unknown tokens are 404.
 */
class UnsubscribeEndpointTest {
  static final String EMAIL = "sam@unsub.example";
  AssembledGatewayHarness h;
  GreenMail mail;
  Vertx vertx;
  Database db;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void up() {
    h = new AssembledGatewayHarness();
    mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    mail.setUser("dana@acme.io", "dana@acme.io", "s3cret");
    vertx = Vertx.vertx();
    db = Database.open(h.dbUrl);
  }

  @AfterEach
  void down() {
    db.close();
    vertx.close();
    mail.stop();
    h.close();
  }

  MailSettings settings() {
    return MailSettings.fromEnvironment(Map.of(
        MailSettings.HOST, "127.0.0.1", MailSettings.PORT, Integer.toString(mail.getSmtp().getPort()),
        MailSettings.TLS, "none", MailSettings.USERNAME, "dana@acme.io", MailSettings.PASSWORD, "s3cret",
        MailSettings.FROM, "dana@acme.io", MailSettings.PACE, "0",
        // the documented form: no {token}, so ?t=TOKEN is appended — the path of the endpoint
        MailSettings.UNSUBSCRIBE_URL, "https://sales.example/unsubscribe"));
  }

  DraftSender.Report send(MailSettings s, dev.salesagent.agent.send.ApprovedDrafts drafts) throws Exception {
    JdbcSendLog log = new JdbcSendLog(db);
    try (var mailer = new VertxSmtpMailer(vertx, s)) {
      return new DraftSender(s, drafts, log, new JdbcSuppressionList(db), mailer, Clock.systemUTC(), d -> { }, SendHooks.NONE)
          .send(null, 10, true);
    }
  }

  HttpResponse<String> call(String method, String pathAndQuery, String formBody) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(30));
    if (formBody == null) b.method(method, HttpRequest.BodyPublishers.noBody());
    else b.header("content-type", "application/x-www-form-urlencoded").method(method, HttpRequest.BodyPublishers.ofString(formBody));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String approvedDraftSent() throws Exception {
    String admin = GatewayHarness.ADMIN_KEY;
    var lead = h.post("/v1/leads", admin, String.format(DraftsApiTest.LEAD, EMAIL));
    assertThat(lead.statusCode()).as(lead.body()).isEqualTo(201);
    String id = WireJson.parse(lead.body()).get("id").asText();
    for (String step : List.of("qualify", "research", "outreach")) {
      assertThat(h.post("/v1/leads/" + id + "/" + step, admin, "").statusCode()).isBetween(200, 299);
    }
    assertThat(h.post("/v1/drafts/api." + id + "/approve", admin, "").statusCode()).isBetween(200, 299);
    var report = send(settings(), new ReviewedDrafts(new JdbiDraftStore(db), new JdbcSendLog(db)));
    assertThat(report.counts().get(Kind.SENT)).isEqualTo(1);
    MimeMessage[] got = mail.getReceivedMessages();
    assertThat(got).hasSize(1);
    assertThat(got[0].getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
    Matcher m = Pattern.compile("<https://sales\\.example(/unsubscribe\\?t=[0-9a-f]{24})>").matcher(got[0].getHeader("List-Unsubscribe")[0]);
    assertThat(m.find()).as(got[0].getHeader("List-Unsubscribe")[0]).isTrue();
    return m.group(1);
  }

  @Test
  void oneClickPostSuppressesTheRecipientAndSendRefusesItAfterwards() throws Exception {
    String url = approvedDraftSent();
    JdbcSuppressionList suppression = new JdbcSuppressionList(db);

    HttpResponse<String> page = call("GET", url, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<form method=\"post\"").contains("name=\"List-Unsubscribe\" value=\"One-Click\"");
    assertThat(suppression.check(EMAIL)).as("a GET (a scanner's prefetch) never unsubscribes").isEmpty();

    HttpResponse<String> post = call("POST", url, "List-Unsubscribe=One-Click");
    assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
    assertThat(suppression.check(EMAIL)).hasValueSatisfying(s -> assertThat(s.reason()).isEqualTo(SuppressionReason.UNSUBSCRIBED));
    assertThat(call("POST", url, "List-Unsubscribe=One-Click").statusCode()).as("replayed").isEqualTo(200);

    // a new draft to the same person (another run) is refused by send
    var report = send(settings(), (run, limit) -> List.of(otherRunDraft()));
    assertThat(report.outcomes()).extracting(o -> o.kind()).containsExactly(Kind.SUPPRESSED);
    assertThat(mail.getReceivedMessages()).hasSize(1);
  }

  ApprovedDraft otherRunDraft() {
    var points = List.of(new dev.salesagent.agent.outreach.PersonalisationPoint("40 reps", "team of 40 reps"));
    return new ApprovedDraft("r2", "L-other", EMAIL, new dev.salesagent.agent.outreach.OutreachDraft("Follow-up",
        "Your team of 40 reps loses deals to slow follow-up.", points, "Worth a call?", "Reply unsubscribe to opt out."));
  }

  @Test
  void unknownOrMalformedTokensAndBadBodiesRevealNothing() throws Exception {
    approvedDraftSent();
    String unknown = "/unsubscribe?t=" + "0".repeat(24);
    assertThat(call("GET", unknown, null).statusCode()).isEqualTo(404);
    HttpResponse<String> r = call("POST", unknown, "List-Unsubscribe=One-Click");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).doesNotContain("0".repeat(24)).doesNotContain(EMAIL);
    assertThat(call("POST", "/unsubscribe/not-a-token", "List-Unsubscribe=One-Click").statusCode()).isEqualTo(404);
    assertThat(call("POST", "/unsubscribe", "List-Unsubscribe=One-Click").statusCode()).isEqualTo(404);
    assertThat(call("DELETE", unknown, null).statusCode()).isEqualTo(405);
    assertThat(call("POST", unknown, "x".repeat(8 * 1024)).statusCode()).isEqualTo(413);
    assertThat(new JdbcSuppressionList(db).check(EMAIL)).isEmpty();
  }
}
