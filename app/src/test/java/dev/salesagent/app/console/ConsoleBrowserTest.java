package dev.salesagent.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.app.Main;
import dev.salesagent.app.RouterBoot;
import dev.salesagent.app.gateway.AssembledGatewayHarness;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayOptions;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's, driven by Selenium WebDriver) against the gateway as
 * {@code serve} assembles it, over the provider emulators: sign-in, every view's figures against the API's own
 * answers, a circuit opened by emulator faults, a key created in the console used on {@code /v1/chat/completions}, and
 * what a client key may see. Each view is photographed into {@code target/console-screenshots/}, or into
 * {@code docs/console/} with {@code -Dconsole.screenshots=docs/console}.
 *
 * <p>Every wait is for a condition (WebDriverWait, Awaitility), with generous timeouts for a busy 2-core machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  static final String ADMIN = AssembledGatewayHarness.ADMIN_KEY;
  static final Duration WAIT = Duration.ofSeconds(90);
  /** Opens a breaker after 4 calls at 50 % failures and keeps it open for the whole test. */
  static final String YAML = """
      resilience:
        circuit_breaker: {failure_rate_percent: 50, minimum_calls: 4, open_ms: 3600000, half_open_calls: 1, window_size: 10}
      """;
  static final String FAULTED_MODEL = "claude-opus-4-5";

  static AssembledGatewayHarness h;
  static ChromeDriver browser;
  static WebDriverWait wait;
  static Path shots;
  @TempDir static Path profile;
  static String clientA;
  static String clientAId;
  static String clientB;
  static String clientBId;

  @BeforeAll
  static void up() throws IOException {
    HeadlessChromium.requireInstalled();
    h = new AssembledGatewayHarness(YAML, GatewayOptions.defaults().withPort(0).withEventLoops(2), EmulatorOptions.defaults());
    // Screenshots go to target/ on every run; `-Dconsole.screenshots=docs/console` refreshes the ones committed in docs/
    // (a plain build must not rewrite tracked files).
    String dest = System.getProperty("console.screenshots", "");
    shots = dest.isBlank() ? Path.of("target", "console-screenshots").toAbsolutePath() : repoRoot().resolve(dest);
    Files.createDirectories(shots);
    // two client keys with some traffic each
    JsonNode a = json(h.post("/v1/admin/keys", ADMIN, "{\"name\":\"team-a\",\"budget_usd\":5,\"rpm\":600}"));
    JsonNode b = json(h.post("/v1/admin/keys", ADMIN, "{\"name\":\"team-b\"}"));
    clientA = a.get("key").asText();
    clientAId = a.get("id").asText();
    clientB = b.get("key").asText();
    clientBId = b.get("id").asText();
    for (int i = 0; i < 3; i++) chat(clientA, "task:qualification", "Is a VP of Sales with budget a good lead? " + i);
    for (int i = 0; i < 2; i++) chat(clientB, "task:research", "Research Northwind Traders " + i);
    chat(ADMIN, "task:content", "Write a two-line intro email.");
    // leads with every step done, so the lead page and the review queue have drafts
    for (String lead : List.of(
        "{\"first_name\":\"Dana\",\"last_name\":\"Reyes\",\"email\":\"dana@northwind.example\",\"company\":\"Northwind\","
            + "\"job_title\":\"VP of Sales\",\"industry\":\"Software\",\"employees\":850,\"country\":\"US\","
            + "\"notes\":\"Budget approved for Q1. I decide on sales tooling. Our reps waste hours on manual research; we want a tool live this quarter.\"}",
        "{\"first_name\":\"Ola\",\"last_name\":\"Berg\",\"email\":\"ola@fjord.example\",\"company\":\"Fjord Logistics\","
            + "\"job_title\":\"Head of Revenue Operations\",\"industry\":\"Logistics\",\"employees\":300,\"country\":\"NO\","
            + "\"notes\":\"We have budget set aside and need to replace our spreadsheet pipeline before March.\"}")) {
      String id = json(h.post("/v1/leads", ADMIN, lead)).get("id").asText();
      for (String step : List.of("qualify", "research", "outreach")) {
        HttpResponse<String> r = h.post("/v1/leads/" + id + "/" + step, ADMIN, "");
        if (r.statusCode() != 200) break; // a cold lead gets no research: the views show what there is
      }
    }
    // a pipeline run over the bundled sample leads, into the same database, as `sales-agent run` does it
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "ANTHROPIC_API_KEY", "k", "CEREBRAS_API_KEY", "k", "DEEPSEEK_API_KEY", "k",
        "ANTHROPIC_BASE_URL", h.emulator.anthropicBaseUrl(), "CEREBRAS_BASE_URL", h.emulator.openAiRootUrl(),
        "DEEPSEEK_BASE_URL", h.emulator.openAiBaseUrl(), "OLLAMA_HOST", h.emulator.ollamaBaseUrl(),
        "SALES_AGENT_DB_URL", h.dbUrl));
    RouterBoot.overrideEnv(env);
    try {
      Path csv = profile.resolve("leads.csv");
      try (var in = ConsoleBrowserTest.class.getResourceAsStream("/samples/leads.csv")) {
        Files.copy(in, csv);
      }
      assertThat(Main.execute("run", csv.toString(), "--out", profile.resolve("run-out").toString(), "--concurrency", "4")).isZero();
    } finally {
      RouterBoot.overrideEnv(null);
    }
    h.assembly.ledger().flush();
    browser = HeadlessChromium.start(profile.resolve("chromium"), 1366, 900);
    // the views redraw on every poll: an element found a moment ago may be gone, so every wait looks again
    wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterAll
  static void down() {
    if (browser != null) browser.quit();
    if (h != null) h.close();
  }

  // ---- sign-in and providers ----

  @Test
  @Order(1)
  void signInWithAnAdminKeyShowsEveryViewAndTheProvidersAsTheApiHasThem() {
    signIn(ADMIN);
    assertThat(text(By.id("who"))).isEqualTo("admin key");
    List<String> nav = browser.findElements(By.cssSelector("#nav a")).stream().map(e -> e.getAttribute("data-view")).toList();
    assertThat(nav).contains("providers", "traffic", "requests", "keys", "runs", "leads", "review");
    // the key is in the tab's session storage only: no cookie, not in the URL
    assertThat(browser.manage().getCookies()).isEmpty();
    assertThat(browser.getCurrentUrl()).doesNotContain(ADMIN);

    open("providers");
    JsonNode api = json(h.get("/v1/providers", ADMIN));
    for (JsonNode p : api.get("data")) {
      String name = p.get("name").asText();
      // by locator, re-read when the view's poll redraws a card between two reads (a busy machine makes that likely)
      String card = "section[data-provider='" + name + "']";
      String state = wait.until(d -> d.findElement(By.cssSelector(card + " h2 .badge")).getText());
      assertThat(state).isEqualTo(p.get("state").asText());
      for (JsonNode m : p.get("models")) {
        By row = By.cssSelector(card + " tr[data-model='" + m.get("id").asText() + "']");
        assertThat(Double.parseDouble(cellNow(row, "input_price"))).isEqualTo(m.get("input_usd_per_mtok").asDouble());
        assertThat(Double.parseDouble(cellNow(row, "output_price"))).isEqualTo(m.get("output_usd_per_mtok").asDouble());
        assertThat(cellNow(row, "context")).isEqualTo(m.get("context_window").asText());
      }
    }
    // the error rates and latency percentiles over the windows are the request log's
    JsonNode first = json(h.get("/v1/providers/stats", ADMIN)).at("/windows/1h/0");
    String target = first.get("provider").asText();
    By row = By.cssSelector("section[data-provider='" + target + "'] tr[data-model='" + first.get("model").asText() + "']");
    wait.until(d -> !cellOf(d.findElement(row), "errors_1h").isEmpty());
    assertThat(Double.parseDouble(cellNow(row, "errors_1h"))).isEqualTo(first.get("error_rate_percent").asDouble());
    String[] p50p95 = cellNow(row, "latency_1h").split("/");
    assertThat(Double.parseDouble(p50p95[0])).isEqualTo(first.get("latency_p50_ms").asDouble());
    assertThat(Double.parseDouble(p50p95[1])).isEqualTo(first.get("latency_p95_ms").asDouble());
    shot("providers");
  }

  @Test
  @Order(2)
  void aCircuitOpenedByEmulatorFaultsShowsAsOpen() {
    open("providers");
    By circuit = By.cssSelector("section[data-provider='anthropic'] tr[data-model='" + FAULTED_MODEL + "'] td[data-field=circuit] [data-value]");
    wait.until(d -> "closed".equals(d.findElement(circuit).getAttribute("data-value")));
    h.emulator.faults().nextForModel(FAULTED_MODEL, Fault.SERVER_ERROR, 1000);
    try {
      Awaitility.await().atMost(WAIT).until(() -> {
        h.post("/v1/chat/completions", ADMIN, chatBody("anthropic/" + FAULTED_MODEL, "fail"));
        return "open".equals(modelField("anthropic", FAULTED_MODEL, "circuit"));
      });
    } finally {
      h.emulator.faults().clear();
    }
    // the live view polls: no reload
    wait.until(d -> "open".equals(d.findElement(circuit).getAttribute("data-value")));
    // when and why, as the API says
    String why = modelField("anthropic", FAULTED_MODEL, "circuit_reason");
    assertThat(why).contains("failure rate").contains("reached the threshold");
    By reason = By.cssSelector("section[data-provider='anthropic'] tr[data-model='" + FAULTED_MODEL + "'] td[data-field=circuit] .why");
    wait.until(d -> d.findElement(reason).getText().trim().equals(why));
    shot("providers-circuit-open");
  }

  // ---- keys ----

  @Test
  @Order(3)
  void aKeyCreatedInTheConsoleWorksOnChatCompletionsAndItsLimitsCanBeChanged() {
    open("keys");
    WebElement form = browser.findElement(By.id("key-create"));
    form.findElement(By.name("name")).sendKeys("made-in-console");
    form.findElement(By.name("budget")).sendKeys("2.5");
    form.findElement(By.name("rpm")).sendKeys("120");
    form.findElement(By.name("tpm")).sendKeys("50000");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    WebElement shown = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-key")));
    String key = shown.getText();
    String id = shown.getAttribute("data-key-id");
    assertThat(key).startsWith("sk-sa-");

    HttpResponse<String> r = h.post("/v1/chat/completions", key, chatBody("task:qualification", "hello from the console's key"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    h.assembly.ledger().flush();

    // the key's row: figures equal the API's once the console has polled after the call
    By row = By.cssSelector("tr[data-key-id='" + id + "']");
    JsonNode apiKey = keyFromApi(id);
    until(row, "requests", apiKey.get("requests").asText());
    assertThat(cellNow(row, "budget_usd")).isEqualTo("2.5");
    assertThat(cellNow(row, "rpm")).isEqualTo("120");
    assertThat(cellNow(row, "tpm")).isEqualTo("50000");
    assertThat(apiKey.get("tpm").asInt()).isEqualTo(50000);
    assertThat(Double.parseDouble(cellNow(row, "month_spent_usd"))).isEqualTo(apiKey.get("month_spent_usd").asDouble());
    assertThat(Double.parseDouble(cellNow(row, "spent_usd"))).isEqualTo(apiKey.get("spent_usd").asDouble());
    browser.findElement(By.xpath("//div[@id='key-shown']//button[text()='Done']")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("new-key")));
    shot("keys");

    // change the budget, rpm and tpm from the row (the view does not redraw a row while one of its fields has the focus)
    WebElement limits = browser.findElement(row).findElement(By.cssSelector("form[data-action=limits]"));
    WebElement budget = limits.findElement(By.name("budget"));
    budget.clear();
    budget.sendKeys("7");
    WebElement rpm = limits.findElement(By.name("rpm"));
    rpm.clear();
    rpm.sendKeys("30");
    WebElement tpm = limits.findElement(By.name("tpm"));
    tpm.clear(); // an empty field lifts the limit
    limits.findElement(By.cssSelector("button[type=submit]")).click();
    Awaitility.await().atMost(WAIT).until(() -> keyFromApi(id).get("budget_usd").asDouble() == 7.0);
    assertThat(keyFromApi(id).get("rpm").asInt()).isEqualTo(30);
    assertThat(keyFromApi(id).get("tpm").isNull()).isTrue();
    until(row, "budget_usd", "7");

    // revoke (two clicks: the first arms it, and stays armed across the list's redraws)
    By revoke = By.cssSelector("tr[data-key-id='" + id + "'] button[data-action=revoke]");
    click(revoke);
    wait.until(d -> d.findElement(revoke).getText().equals("Confirm revoke"));
    click(revoke);
    until(row, "state", "revoked");
    assertThat(h.post("/v1/chat/completions", key, chatBody("task:qualification", "revoked?")).statusCode()).isEqualTo(401);
  }

  // ---- traffic ----

  @Test
  @Order(4)
  void trafficTotalsAndTheSplitEqualTheTimeseries() {
    open("traffic");
    h.assembly.ledger().flush();
    // the console asks for the last 24 h by hour; every request of this test is inside that window
    java.util.function.Supplier<JsonNode> api = () -> json(h.get("/v1/usage/timeseries?bucket=hour&by=provider&from="
        + java.time.Instant.now().minus(Duration.ofHours(25)) + "&to=" + java.time.Instant.now().plusSeconds(3600), ADMIN));
    for (String f : List.of("requests", "attempts", "retries", "fallbacks", "failed_attempts", "input_tokens", "output_tokens")) {
      Awaitility.await().atMost(WAIT).until(() -> sum(api.get(), f, null).equals(figure(f)));
    }
    Awaitility.await().atMost(WAIT).until(() -> Math.abs(Double.parseDouble(sum(api.get(), "cost_usd", null)) - Double.parseDouble(figure("cost_usd"))) < 1e-9);
    JsonNode series = api.get();
    for (JsonNode row : series.get("data")) {
      String provider = row.get("provider").asText();
      By r = By.cssSelector("tr[data-name='" + provider + "']");
      until(r, "requests", sum(series, "requests", provider));
    }
    assertThat(browser.findElements(By.cssSelector("svg.chart"))).hasSize(3);
    assertThat(browser.findElements(By.cssSelector("svg.chart rect"))).isNotEmpty();
    shot("traffic");
  }

  // ---- requests ----

  @Test
  @Order(5)
  void requestsPageByKeysetAndShowTheAttemptChain() {
    open("requests");
    JsonNode first = json(h.get("/v1/requests?limit=50", ADMIN));
    // the list is live: wait until it shows the API's newest request, then compare the page
    wait.until(d -> first.at("/data/0/id").asText().equals(attr(By.cssSelector("#requests-body tbody tr"), "data-request-id")));
    List<String> shown = ids();
    List<String> api = new ArrayList<>();
    first.get("data").forEach(r -> api.add(r.get("id").asText()));
    assertThat(shown).isEqualTo(api);
    shot("requests");
    assertThat(first.get("next_cursor").isTextual()).as("more than one page of requests").isTrue();
    click(By.id("req-older"));
    JsonNode second = json(h.get("/v1/requests?limit=50&cursor=" + first.get("next_cursor").asText(), ADMIN));
    wait.until(d -> second.at("/data/0/id").asText().equals(attr(By.cssSelector("#requests-body tbody tr"), "data-request-id")));
    List<String> api2 = new ArrayList<>();
    second.get("data").forEach(r -> api2.add(r.get("id").asText()));
    assertThat(ids()).isEqualTo(api2);

    // a request with more than one attempt (the faulted model's retries): its whole chain
    JsonNode failed = null;
    for (JsonNode r : json(h.get("/v1/requests?limit=200&model=" + FAULTED_MODEL, ADMIN)).get("data")) {
      if (r.get("attempts").asInt() > 1) failed = r;
    }
    assertThat(failed).as("a request of " + FAULTED_MODEL + " with retries").isNotNull();
    String id = failed.get("id").asText();
    browser.get(h.baseUrl() + "/console#/requests/" + id);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-attempt]")));
    JsonNode detail = json(h.get("/v1/requests/" + id, ADMIN));
    assertThat(browser.findElements(By.cssSelector("tr[data-attempt]"))).hasSize(detail.get("attempt_chain").size());
    assertThat(detail.get("attempt_chain").size()).isGreaterThan(1);
    for (JsonNode a : detail.get("attempt_chain")) {
      By row = By.cssSelector("tr[data-attempt='" + a.get("n").asText() + "']");
      assertThat(cellNow(row, "outcome")).isEqualTo(a.get("outcome").asText());
      assertThat(cellNow(row, "latency_ms")).isEqualTo(a.get("latency_ms").asText());
    }
    assertThat(cellNow(By.cssSelector("tr[data-attempt='2']"), "kind")).isEqualTo("retry");
    shot("request");
  }

  static List<String> ids() {
    return wait.until(d -> d.findElements(By.cssSelector("#requests-body tbody tr"))
        .stream().map(e -> e.getAttribute("data-request-id")).toList());
  }

  static String attr(By by, String name) {
    List<WebElement> e = browser.findElements(by);
    try {
      return e.isEmpty() ? null : e.get(0).getAttribute(name);
    } catch (StaleElementReferenceException gone) {
      return null;
    }
  }

  static String valueOf(By by) {
    return wait.until(d -> d.findElement(by).getAttribute("data-value"));
  }

  static String figure(String field) {
    return wait.ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.cssSelector("#traffic-totals [data-field='" + field + "'] [data-value]")).getAttribute("data-value"));
  }

  /** A field summed over the timeseries' rows (of one split value, or all); integers as integers. */
  static String sum(JsonNode series, String field, String provider) {
    java.math.BigDecimal t = java.math.BigDecimal.ZERO;
    for (JsonNode r : series.get("data")) {
      if (provider == null || provider.equals(r.path("provider").asText())) t = t.add(r.get(field).decimalValue());
    }
    return field.equals("cost_usd") ? t.toPlainString() : t.toBigInteger().toString();
  }

  // ---- leads ----

  @Test
  @Order(6)
  void leadsTableAndLeadPageShowTheExportAndTheEvidence() {
    open("leads");
    wait.until(d -> d.findElement(By.id("leads-count")).getText().endsWith(" leads"));
    long leads = json(h.get("/v1/leads", ADMIN)).get("total").asLong();
    assertThat(text(By.id("leads-count"))).isEqualTo(leads + " of " + leads + " leads");
    JsonNode dana = json(h.get("/v1/leads/" + leadId("dana@northwind.example"), ADMIN));
    By row = By.cssSelector("tr[data-lead-id='" + dana.at("/lead/id").asText() + "']");
    until(row, "score", dana.at("/qualify/result/score").asText());
    until(row, "tier", dana.at("/qualify/result/tier").asText());
    until(row, "draft_status", exportRow("dana@northwind.example").get("Draft Status"));
    shot("leads");

    click(By.cssSelector("tr[data-lead-id='" + dana.at("/lead/id").asText() + "'] td[data-field=name] a"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("lead-score")));
    assertThat(browser.findElement(By.id("lead-score")).getAttribute("data-value")).isEqualTo(dana.at("/qualify/result/score").asText());
    // every quoted evidence that occurs in the lead's text is highlighted there
    List<String> marked = browser.findElements(By.cssSelector("#lead-text mark")).stream().map(e -> e.getText().toLowerCase()).toList();
    List<String> quotes = new ArrayList<>();
    for (String c : List.of("budget", "authority", "need", "timeline")) {
      JsonNode e = dana.at("/qualify/result/" + c + "/evidence");
      if (e.isTextual()) quotes.add(e.asText());
    }
    assertThat(quotes).isNotEmpty();
    for (String q : quotes) {
      String bare = q.toLowerCase().replaceAll("^[\"']|[\"'.]$", "").replaceFirst("^(notes|job title|company|industry): ", "");
      assertThat(marked).as("highlight of " + q).anySatisfy(m -> assertThat(m.replaceAll("\\s+", " ")).contains(bare.replaceAll("\\s+", " ")));
    }
    double cost = 0;
    for (String s : List.of("parse", "qualify", "research", "outreach")) if (dana.get(s).isObject()) cost += dana.get(s).get("cost_usd").asDouble();
    assertThat(Double.parseDouble(browser.findElement(By.id("lead-cost")).getAttribute("data-value"))).isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-12));
    shot("lead");
  }

  // ---- review queue ----

  @Test
  @Order(7)
  void aDraftApprovedInTheConsoleIsApprovedInTheExportAndABrokenEditShowsItsViolations() {
    JsonNode pending = json(h.get("/v1/drafts?status=pending", ADMIN)).get("data");
    assertThat(pending.size()).as("drafts waiting for review").isPositive();
    open("review");
    String first = pending.get(0).get("id").asText();
    By card = By.cssSelector("article[data-draft-id='" + first + "']");
    wait.until(ExpectedConditions.presenceOfElementLocated(card));
    assertThat(browser.findElements(By.cssSelector("article[data-draft-id]"))).hasSize(pending.size());
    shot("review");

    // an edit that breaks a grounding rule is refused and the rules it broke are shown; nothing is saved
    String cardCss = "article[data-draft-id='" + first + "'] ";
    wait.until(d -> {
      d.findElement(By.cssSelector(cardCss + "textarea[name=body]")).sendKeys("\n\nHi {{first_name}}, as promised.");
      return true; // from the first key on, the card is not redrawn under the edit
    });
    click(By.cssSelector(cardCss + "button[data-action=save]"));
    WebElement violations = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("article[data-draft-id='" + first + "'] [data-field=violations] li")));
    assertThat(violations.getText()).isNotBlank();
    shot("review-violations");
    assertThat(json(h.get("/v1/drafts/" + first, ADMIN)).get("edited").asBoolean()).isFalse();
    click(By.xpath("//article[@data-draft-id='" + first + "']//button[text()='Discard changes']"));

    // approve: the export marks it approved (ready to send)
    click(By.cssSelector("article[data-draft-id='" + first + "'] button[data-action=approve]"));
    Awaitility.await().atMost(WAIT).until(() -> "approved".equals(json(h.get("/v1/drafts/" + first, ADMIN)).get("status").asText()));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("article[data-draft-id]"), pending.size() - 1));
    String email = json(h.get("/v1/drafts/" + first, ADMIN)).at("/lead/email").asText();
    assertThat(exportRow(email).get("Draft Status")).isEqualTo("approved");
  }

  // ---- runs ----

  @Test
  @Order(8)
  void runsShowProgressTiersAndCostAsTheApiHasThem() {
    JsonNode runs = json(h.get("/v1/runs", ADMIN)).get("data");
    assertThat(runs.size()).isPositive();
    open("runs");
    JsonNode run = runs.get(0);
    String id = run.get("id").asText();
    By card = By.cssSelector("section[data-run-id='" + id + "']");
    wait.until(ExpectedConditions.presenceOfElementLocated(card));
    for (var t : (Iterable<Map.Entry<String, JsonNode>>) run.get("tiers")::fields) {
      assertThat(valueOf(By.cssSelector("section[data-run-id='" + id + "'] [data-field='tier-" + t.getKey() + "'] [data-value]")))
          .isEqualTo(t.getValue().asText());
    }
    assertThat(Double.parseDouble(valueOf(By.cssSelector("section[data-run-id='" + id + "'] [data-field=cost] [data-value]"))))
        .isEqualTo(run.get("cost_usd").asDouble());
    for (var c : (Iterable<Map.Entry<String, JsonNode>>) run.get("cost_by_provider")::fields) {
      assertThat(Double.parseDouble(valueOf(By.cssSelector("section[data-run-id='" + id + "'] td[data-provider='" + c.getKey() + "'] [data-value]"))))
          .isEqualTo(c.getValue().asDouble());
    }
    shot("runs");

    // tenancy: the admins' run is not a client key's
    assertThat(json(h.get("/v1/runs", clientA)).get("data")).isEmpty();
    assertThat(h.get("/v1/runs/" + id, clientA).statusCode()).isEqualTo(404);
    assertThat(json(h.get("/v1/runs/" + id, ADMIN)).get("leads").asInt()).isEqualTo(run.get("leads").asInt());
  }

  // ---- keyboard ----

  @Test
  @Order(9)
  void everyViewIsReachableByKeyboard() {
    open("providers");
    // a fresh load (the key stays in the tab's session): Tab starts at the top of the page — the skip link, then the nav
    browser.navigate().refresh();
    wait.until(d -> "ready".equals(d.findElement(By.id("view")).getAttribute("data-state")));
    org.openqa.selenium.interactions.Actions keys = new org.openqa.selenium.interactions.Actions(browser);
    keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
    assertThat(browser.switchTo().activeElement().getAttribute("class")).isEqualTo("skip");
    keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
    assertThat(browser.switchTo().activeElement().getAttribute("data-view")).isEqualTo("providers");
    keys.sendKeys(org.openqa.selenium.Keys.TAB, org.openqa.selenium.Keys.TAB, org.openqa.selenium.Keys.TAB,
        org.openqa.selenium.Keys.TAB, org.openqa.selenium.Keys.TAB).perform();
    assertThat(browser.switchTo().activeElement().getAttribute("data-view")).isEqualTo("leads");
    keys.sendKeys(org.openqa.selenium.Keys.ENTER).perform();
    wait.until(d -> "leads".equals(d.findElement(By.id("view")).getAttribute("data-view"))
        && "ready".equals(d.findElement(By.id("view")).getAttribute("data-state")));
    // the focus ring is visible
    String outline = (String) browser.executeScript("return getComputedStyle(document.activeElement).outlineStyle");
    assertThat(outline).isEqualTo("solid");
  }

  // ---- client keys ----

  @Test
  @Order(20)
  void aClientKeySeesOnlyItsOwnViews() {
    signOut();
    signIn(clientA);
    assertThat(text(By.id("who"))).isEqualTo("client key " + clientAId);
    List<String> nav = browser.findElements(By.cssSelector("#nav a")).stream().map(e -> e.getAttribute("data-view")).toList();
    assertThat(nav).doesNotContain("keys");

    // requests: exactly the key's own, as the API gives them to that key
    open("requests");
    JsonNode own = json(h.get("/v1/requests?limit=50", clientA));
    assertThat(own.get("data").size()).isPositive();
    wait.until(d -> own.at("/data/0/id").asText().equals(attr(By.cssSelector("#requests-body tbody tr"), "data-request-id")));
    List<String> expected = new ArrayList<>();
    own.get("data").forEach(r -> expected.add(r.get("id").asText()));
    assertThat(ids()).isEqualTo(expected);
    for (WebElement td : browser.findElements(By.cssSelector("#requests-body td[data-field=key]"))) assertThat(td.getText()).isEqualTo(clientAId);
    shot("requests-client");

    // another key's request, asked for by its id in the address: not shown
    String other = json(h.get("/v1/requests?limit=1", clientB)).at("/data/0/id").asText();
    browser.get(h.baseUrl() + "/console#/requests/" + other);
    wait.until(d -> "error".equals(d.findElement(By.id("view")).getAttribute("data-state")));
    assertThat(browser.findElements(By.cssSelector("tr[data-attempt]"))).isEmpty();
    assertThat(text(By.id("status"))).contains("no request " + other);

    // traffic: only the key's own usage
    open("traffic");
    JsonNode mine = json(h.get("/v1/usage/timeseries?bucket=hour&from=" + java.time.Instant.now().minus(Duration.ofHours(25))
        + "&to=" + java.time.Instant.now().plusSeconds(3600), clientA));
    Awaitility.await().atMost(WAIT).until(() -> sum(mine, "requests", null).equals(figure("requests")));
    assertThat(figure("requests")).isEqualTo("3");
  }

  // ---- dark mode and first-load transfer ----

  @Test
  @Order(30)
  void darkModeAndAFirstLoadUnder500KB() throws Exception {
    signOut();
    ChromeDriver fresh = HeadlessChromium.start(profile.resolve("fresh"), 1280, 800);
    try {
      HeadlessChromium.colorScheme(fresh, "dark");
      fresh.get(h.baseUrl() + "/console");
      WebDriverWait w = new WebDriverWait(fresh, WAIT, Duration.ofMillis(100));
      w.until(ExpectedConditions.visibilityOfElementLocated(By.id("key"))).sendKeys(ADMIN + "\n");
      w.until(d -> "ready".equals(d.findElement(By.id("view")).getAttribute("data-state")));
      Number bytes = (Number) fresh.executeScript(
          "const n = performance.getEntriesByType('navigation')[0];"
              + "return performance.getEntriesByType('resource').filter(r => r.name.includes('/console'))"
              + ".reduce((s, r) => s + r.transferSize, n.transferSize);");
      System.err.println("console first load: " + bytes + " bytes transferred (HTML, CSS, scripts; gzip)");
      assertThat(bytes.longValue()).isPositive().isLessThan(500 * 1024);
      String bg = (String) fresh.executeScript("return getComputedStyle(document.body).backgroundColor");
      assertThat(bg).isEqualTo("rgb(21, 23, 26)");
      Files.write(shots.resolve("providers-dark.png"), fresh.getScreenshotAs(OutputType.BYTES));
    } finally {
      fresh.quit();
    }
  }

  // ---- helpers ----

  static void signIn(String key) {
    browser.get(h.baseUrl() + "/console");
    WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key")));
    input.clear();
    input.sendKeys(key);
    browser.findElement(By.cssSelector("#signin button[type=submit]")).click();
    wait.until(d -> "ready".equals(d.findElement(By.id("view")).getAttribute("data-state")));
  }

  static void signOut() {
    if (browser.findElement(By.id("signout")).isDisplayed()) browser.findElement(By.id("signout")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key")));
  }

  /** Navigates by the nav link (as a user does) and waits for the view's first answer. */
  static void open(String view) {
    browser.findElement(By.cssSelector("#nav a[data-view='" + view + "']")).click();
    wait.until(d -> view.equals(d.findElement(By.id("view")).getAttribute("data-view"))
        && "ready".equals(d.findElement(By.id("view")).getAttribute("data-state")));
  }

  static void shot(String name) {
    try {
      Files.write(shots.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String text(By by) {
    return browser.findElement(by).getText();
  }

  /** The raw API value a cell shows ({@code data-value}), or its text when it has none. */
  static String cellOf(WebElement row, String field) {
    WebElement td = row.findElement(By.cssSelector("td[data-field='" + field + "']"));
    List<WebElement> v = td.findElements(By.cssSelector("[data-value]"));
    return v.isEmpty() ? td.getText() : v.get(0).getAttribute("data-value");
  }

  /** The cell's value now, re-reading the row when a poll redrew it under us. */
  static String cellNow(By row, String field) {
    return wait.until(d -> cellOf(d.findElement(row), field));
  }

  /** Waits until the cell shows {@code expected} (the view polls, so the API's figure arrives without a reload). */
  static void until(By row, String field, String expected) {
    try {
      wait.until(d -> expected.equals(cellOf(d.findElement(row), field)));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(field + " of " + row + " is " + cellNow(row, field) + ", expected " + expected, e);
    }
  }

  static void click(By by) {
    wait.until(d -> {
      d.findElement(by).click();
      return true;
    });
  }

  static String modelField(String provider, String model, String field) {
    for (JsonNode p : json(h.get("/v1/providers", ADMIN)).get("data")) {
      if (!p.get("name").asText().equals(provider)) continue;
      for (JsonNode m : p.get("models")) if (m.get("id").asText().equals(model)) return m.path(field).asText();
    }
    return null;
  }

  static JsonNode keyFromApi(String id) {
    for (JsonNode k : json(h.get("/v1/admin/keys", ADMIN)).get("data")) if (k.get("id").asText().equals(id)) return k;
    throw new AssertionError("no key " + id);
  }

  /** The export's row of a lead, by column name (a real CSV parser: cells hold line breaks). */
  static Map<String, String> exportRow(String email) {
    try (var p = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new java.io.StringReader(h.get("/v1/leads/export", ADMIN).body()))) {
      for (var r : p) if (email.equals(r.get("Email"))) return r.toMap();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError("no export row for " + email);
  }

  static String leadId(String email) {
    for (JsonNode l : json(h.get("/v1/leads?limit=1000", ADMIN)).get("data")) if (l.get("email").asText().equals(email)) return l.get("id").asText();
    throw new AssertionError("no lead " + email);
  }

  static void chat(String key, String model, String prompt) {
    HttpResponse<String> r = h.post("/v1/chat/completions", key, chatBody(model, prompt));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  static String chatBody(String model, String prompt) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  static JsonNode json(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return WireJson.parse(r.body());
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !(Files.isDirectory(p.resolve("docs")) && Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("app")))) {
      p = p.getParent();
    }
    if (p == null) throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    return p;
  }

}
