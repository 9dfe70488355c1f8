package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunAndDemoCommandTest {
  static Vertx vertx;
  static Emulator emulator;
  @TempDir Path dir;
  PrintStream savedOut;
  PrintStream savedErr;
  ByteArrayOutputStream out;
  ByteArrayOutputStream err;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    emulator = Emulator.start(vertx, EmulatorOptions.defaults()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    emulator.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close();
    RouterBoot.overrideEnv(null);
  }

  @BeforeEach
  void capture() {
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_API_KEY", "k");
    env.put("CEREBRAS_API_KEY", "k");
    env.put("DEEPSEEK_API_KEY", "k");
    env.put("ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl());
    env.put("CEREBRAS_BASE_URL", emulator.openAiRootUrl());
    env.put("DEEPSEEK_BASE_URL", emulator.openAiBaseUrl());
    env.put("OLLAMA_HOST", emulator.ollamaBaseUrl());
    env.put("SALES_AGENT_DB_URL", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
    RouterBoot.overrideEnv(env);
    savedOut = System.out;
    savedErr = System.err;
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  Path sample() throws Exception {
    Path csv = dir.resolve("leads.csv");
    try (InputStream in = getClass().getResourceAsStream("/samples/leads.csv")) {
      Files.copy(in, csv);
    }
    return csv;
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    assertThat(Main.execute("run")).isEqualTo(2);
    assertThat(err.toString()).contains("give the leads CSV file");
    assertThat(Main.execute("run", dir.resolve("missing.csv").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no such file");
    assertThat(Main.execute("run", sample().toString(), "--steps", "outreach")).isEqualTo(2);
    assertThat(err.toString()).contains("outreach needs research");
    assertThat(Main.execute("run", "--resume", "--out", dir.resolve("never").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("nothing to resume");
    Path noEmail = dir.resolve("bad.csv");
    Files.writeString(noEmail, "Name,Company\nDana,Northwind\n");
    assertThat(Main.execute("run", noEmail.toString(), "--out", dir.resolve("o").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no Email column");
  }

  /** The reported case: a run without provider keys started, imported, and failed lead after lead. */
  @Test
  void aRunWithoutAConfiguredProviderForItsTasksStopsBeforeItStartsAndNamesTheVariables() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("OLLAMA_HOST", emulator.ollamaBaseUrl());
    env.put("SALES_AGENT_DB_URL", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
    RouterBoot.overrideEnv(env);
    Path csv = sample();
    assertThat(Main.execute("run", csv.toString(), "--out", dir.resolve("nokeys").toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains("run: step qualify needs the router task 'qualification', and no provider of its chain is configured: "
            + "set CEREBRAS_API_KEY (cerebras/gpt-oss-120b), or set DEEPSEEK_API_KEY (deepseek/deepseek-flash), or set "
            + "ANTHROPIC_API_KEY")
        .contains("step research needs the router task 'research'").contains("step outreach needs the router task 'content'")
        .contains("nothing was imported or called").doesNotContain("imported 45 leads");
    assertThat(dir.resolve("nokeys")).doesNotExist();
    // one configured provider of the chain is enough
    env.put("CEREBRAS_API_KEY", "k");
    env.put("CEREBRAS_BASE_URL", emulator.openAiRootUrl());
    RouterBoot.overrideEnv(env);
    assertThat(Main.execute("run", csv.toString(), "--out", dir.resolve("q").toString(), "--steps", "qualify")).isZero();
  }

  @Test
  void runQualifyOnlyWritesResultsAndReport() throws Exception {
    Path o = dir.resolve("out");
    assertThat(Main.execute("run", sample().toString(), "--out", o.toString(), "--steps", "qualify", "--concurrency", "16")).isZero();
    assertThat(err.toString()).contains("imported 45 leads from 50 rows (2 rejected, 3 duplicates merged)")
        .contains("line 32: error: email 'oliver.smith@' is not a valid address").contains("progress: 45/45 leads");
    assertThat(out.toString()).contains("results: " + o.toAbsolutePath()).contains("cerebras");
    var rows = CSVFormat.RFC4180.builder().setHeader().get().parse(Files.newBufferedReader(o.resolve("results.csv"))).getRecords();
    assertThat(rows).hasSize(45).allMatch(r -> !r.get("Lead Tier").isEmpty() && r.get("Outreach Subject").isEmpty());
    String report = Files.readString(o.resolve("report.md"));
    assertThat(report).contains("| qualify | 45 | 0 | 0 | 0 |");
    // the report's numbers are the ledger's rows for this run
    String runId = report.substring(report.indexOf('`') + 1, report.indexOf('`', report.indexOf('`') + 1));
    try (var db = dev.salesagent.store.Database.open("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath())) {
      var row = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) AS n, SUM(cost_usd) AS c FROM usage_ledger WHERE request_id LIKE :p")
          .bind("p", runId + ":%").mapToMap().one());
      long n = ((Number) row.get("n")).longValue();
      assertThat(n).isGreaterThanOrEqualTo(44); // the opted-out sample lead is disqualified without a call
      assertThat(report).contains("From the usage ledger (" + n + " attempts")
          .contains("**" + dev.salesagent.agent.pipeline.RunReport.usd((java.math.BigDecimal) row.get("c")) + "**");
    }
  }

  @Test
  void runWithAKeyIsChargedToItsBudgetAndItsLedgerRowsCarryTheKey() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
    String csv = sample().toString();
    String tiny;
    String funded;
    try (var db = dev.salesagent.store.Database.open(url)) {
      var keys = new dev.salesagent.store.keys.JdbcApiKeyStore(db);
      tiny = keys.create("tiny", dev.salesagent.router.keys.ApiKey.Scope.CLIENT, 0.000001, null).key().id();
      funded = keys.create("funded", dev.salesagent.router.keys.ApiKey.Scope.CLIENT, 5.0, null).key().id();
    }
    assertThat(Main.execute("run", csv, "--out", dir.resolve("x").toString(), "--key-id", "key_nope")).isEqualTo(2);
    assertThat(err.toString()).contains("no API key with id key_nope");
    // a budget that cannot afford one call: refused before any provider call, the run stops with exit 4
    Path poor = dir.resolve("poor");
    assertThat(Main.execute("run", csv, "--out", poor.toString(), "--steps", "qualify", "--key-id", tiny)).isEqualTo(4);
    assertThat(out.toString()).contains("budget");
    Path rich = dir.resolve("rich");
    assertThat(Main.execute("run", csv, "--out", rich.toString(), "--steps", "qualify", "--key-id", funded)).isZero();
    // resuming needs the key the run started with: its leads live in that key's tenant
    assertThat(Main.execute("run", "--resume", "--out", rich.toString(), "--steps", "qualify")).isEqualTo(2);
    assertThat(err.toString()).contains("started with key " + funded);
    try (var db = dev.salesagent.store.Database.open(url)) {
      var rows = db.jdbi().withHandle(h -> h.createQuery("SELECT api_key_id, cost_usd FROM usage_ledger").mapToMap().list());
      assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.get("api_key_id")).isEqualTo(funded));
      long runs = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM pipeline_runs WHERE owner_key_id = :k AND api_key_id = :k")
          .bind("k", funded).mapTo(Long.class).one());
      assertThat(runs).isEqualTo(1);
      assertThat(new dev.salesagent.store.lead.JdbiLeadRepository(db).count(dev.salesagent.agent.access.Actor.client(funded))).isEqualTo(45);
      // the key's durable budget counter holds what the ledger says it spent
      var spent = db.jdbi().withHandle(h -> h.createQuery("SELECT spent_usd FROM budget_counters WHERE scope = :s AND period_key LIKE '____-__'")
          .bind("s", "key:" + funded).mapTo(java.math.BigDecimal.class).one());
      var ledger = db.jdbi().withHandle(h -> h.createQuery("SELECT SUM(cost_usd) FROM usage_ledger").mapTo(java.math.BigDecimal.class).one());
      assertThat(spent).isEqualByComparingTo(ledger);
    }
  }

  @Test
  void demoShowsRoutingByTaskAFallbackAndTheCost() throws Exception {
    Path o = dir.resolve("demo-out");
    assertThat(Main.execute("demo", "--out", o.toString(), "--latency-ms", "20")).isZero();
    String s = out.toString();
    assertThat(s).contains("routing by task").contains("cerebras   qualification").contains("deepseek   research")
        .contains("anthropic  content").containsPattern("[1-9][0-9]* fallbacks").contains("total cost $");
    // parsing → Ollama: contact cards from the sample leads whose notes end in a signature
    assertThat(s).contains("parsing → Ollama").contains("ollama     parsing").contains("contacts parsed from notes: 4 (")
        .contains("parsed lily.evans@northwind-logistics.com → Lily Evans · Sales Operations Analyst · Northwind Logistics");
    assertThat(o.resolve("results.csv")).exists();
    String report = Files.readString(o.resolve("report.md"));
    assertThat(report).containsPattern("Requests answered by a fallback provider: [1-9]")
        .contains("- Steps: qualify,research,outreach,parse").contains("| parse | 4 | 0 | 41 | 0 |").contains("## Contacts parsed from notes")
        .containsPattern("\\| ollama \\| parsing \\| [1-9]")
        .contains("| grace.kim@orbitcloud.com | Grace Kim | Head of Sales | OrbitCloud | grace.kim@orbitcloud.com | +1 206 555 0162 | orbitcloud.com |");
    // the CRM push to the in-process HubSpot emulator: a 207 partial failure retried per record, every contact written
    assertThat(s).contains("CRM push to the HubSpot emulator at http://127.0.0.1:").containsPattern("the demo approved its ([1-9][0-9]*) drafts automatically in the review queue, each decision recorded")
        .containsPattern("HubSpot push of [^ ]+ \\(http://127.0.0.1:[0-9]+/hubspot\\): 45 contacts written \\(22 after a per-record retry\\), [1-9][0-9]* notes, [1-9][0-9]* approved drafts, 0 note failures, 0 failed");
    java.util.regex.Matcher approvedInQueue = java.util.regex.Pattern.compile("approved its ([0-9]+) drafts").matcher(s);
    assertThat(approvedInQueue.find()).isTrue();
    assertThat(s).contains(", " + approvedInQueue.group(1) + " approved drafts, "); // every approved draft was pushed
    assertThat(Files.readAllLines(o.resolve("hubspot-push.csv"))).hasSize(46).allSatisfy(l -> assertThat(l).doesNotContain(",failed,"));
    // the rest of the loop: approve (said to be automatic), send, replies, suppression, cost per outcome
    var approved = java.util.regex.Pattern.compile("the demo approved its ([1-9][0-9]*) drafts automatically").matcher(s);
    assertThat(approved.find()).as(s).isTrue();
    String n = approved.group(1);
    assertThat(s).containsPattern("send: to an in-process SMTP server \\(GreenMail on 127\\.0\\.0\\.1:[0-9]+\\): sent " + n + "\n");
    assertThat(s).containsPattern("1-interested\\.eml\t[a-z_]+\t")
        .containsPattern("2-unsubscribe\\.eml\tunsubscribe\trule opt-out\t.*suppressed sender \\(unsubscribed\\)")
        .containsPattern("3-out-of-office\\.eml\tout_of_office\trule ")
        .containsPattern("4-bounce\\.eml\tbounce\trule dsn\t")
        .contains("suppression list: 2 of the " + n + " recipients");
    assertThat(o.resolve("replies").resolve("4-bounce.eml")).exists();
    assertThat(s).contains("cost per outcome:").contains("| approved_draft | " + n + " |").contains("| sent_email | " + n + " |")
        .containsPattern("\\| \\*\\*total\\*\\* \\|  \\| [1-9][0-9]* \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|");
  }
}
