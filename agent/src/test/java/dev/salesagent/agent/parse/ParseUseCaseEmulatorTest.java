package dev.salesagent.agent.parse;

import dev.salesagent.agent.access.Actor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.schema.StructuredCaller;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.routing.UsageRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ParseUseCase} through the real router and the real provider emulators over HTTP: the {@code parsing} task
 * goes to Ollama, the answer passes the schema, the record and the "every value occurs in the text" checks.
 */
class ParseUseCaseEmulatorTest {
  static Vertx vertx;
  static Emulator emulator;
  static RouterRuntime runtime;
  static final List<UsageRecord> usage = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    emulator = await(Emulator.start(vertx, EmulatorOptions.defaults()));
    Map<String, String> env = Map.of(
        "ANTHROPIC_API_KEY", "k", "CEREBRAS_API_KEY", "k", "DEEPSEEK_API_KEY", "k",
        "ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl(), "CEREBRAS_BASE_URL", emulator.openAiRootUrl(),
        "DEEPSEEK_BASE_URL", emulator.openAiBaseUrl(), "OLLAMA_HOST", emulator.ollamaBaseUrl());
    runtime = RouterRuntime.create(vertx, ConfigLoader.load(null, env), new SimpleMeterRegistry(), usage::add, null);
  }

  @AfterAll
  static void stop() throws Exception {
    runtime.close();
    await(emulator.close());
    vertx.close();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static final String SIGNATURE = """
      Thanks for the call yesterday. Happy to look at a pricing proposal next week.

      Best regards,
      Dana Reyes
      VP of Sales | Northwind Logistics
      +1 312 555 0142 · northwind-logistics.com
      dana.reyes@northwind-logistics.com
      """;

  @Test
  void aSignatureBlockIsParsedByOllamaAndPassesEveryCheck() throws Exception {
    var r = await(new ParseUseCase(new StructuredCaller(runtime.router())).parseContact(SIGNATURE, "parse-test:sig", Actor.operator()));
    ContactCard c = r.value();
    assertThat(c).isEqualTo(new ContactCard("Dana Reyes", "VP of Sales", "Northwind Logistics",
        "dana.reyes@northwind-logistics.com", "+1 312 555 0142", "northwind-logistics.com"));
    assertThat(r.provider()).isEqualTo("ollama");
    assertThat(r.calls()).isEqualTo(1); // valid at the first answer, no repair
    assertThat(r.promptId()).isEqualTo("parse.v1");
    assertThat(ParseUseCase.check(c, SIGNATURE)).isEmpty();
  }

  /** The pipeline engineer's measure: parsing used to pass ~5 of 40 varied texts; every one must pass now. */
  @ParameterizedTest
  @ValueSource(strings = {
      "Laura Rossi\nRevenue Manager, Bellavista Hotels\nTel. +39 06 5555 0188\nbellavista-hotels.it",
      "Grace Kim | Head of Sales | OrbitCloud\nm: +1 206 555 0162 | e: grace.kim@orbitcloud.com | w: orbitcloud.com",
      "Sent from the contact form:\nFelix Wagner, CTO\nAlpenByte GmbH\nfelix.wagner@alpenbyte.at\n+43 1 555 0122",
      "Hi, I'm Priya Nair (priya.nair@globex.io), Head of Revenue Operations at Globex Industries. Website: https://globex.io/about",
      "Please call me back on (415) 555-0199 before Friday. -- Marcus",
      "Name: Sofia Lindqvist\nTitle: COO\nCompany: Nordhavn Freight\nEmail: sofia.lindqvist@nordhavn.se"})
  void variedContactTextsParseFirstTime(String text) throws Exception {
    var r = await(new ParseUseCase(new StructuredCaller(runtime.router())).parseContact(text, "parse-test:" + text.hashCode(), Actor.operator()));
    assertThat(ParseUseCase.check(r.value(), text)).isEmpty();
    assertThat(r.calls()).as("no repair needed for %s → %s", text, r.value()).isEqualTo(1);
  }

  /** Direct on the generator: every text × 40 seeds gives a card that passes the schema, the record and the checks. */
  @Test
  void everySeedParsesEveryText() throws Exception {
    var schema = dev.salesagent.agent.schema.SchemaDeriver.schema(ContactCard.class);
    List<String> texts = List.of(SIGNATURE,
        "Laura Rossi\nRevenue Manager, Bellavista Hotels\nTel. +39 06 5555 0188\nbellavista-hotels.it",
        "Replied: 'Thanks, please send it to me directly.' -- Lily Evans | Sales Operations Analyst | Northwind Logistics | "
            + "+1 312 555 0187 | northwind-logistics.com | lily.evans@northwind-logistics.com",
        "Dana Reyes\nVP of Sales, Northwind\ndana@northwind.com");
    int ok = 0;
    for (String text : texts) {
      for (long seed = 0; seed < 40; seed++) {
        var node = dev.salesagent.emulator.SchemaInstanceGenerator.generate(schema, seed, text);
        assertThat(dev.salesagent.agent.schema.SchemaValidator.validate(schema, node)).as("%s", node).isEmpty();
        ContactCard c = dev.salesagent.agent.schema.AgentJson.MAPPER.treeToValue(node, ContactCard.class);
        if (ParseUseCase.check(c, text).isEmpty() && c.name() != null) ok++;
      }
    }
    assertThat(ok).isEqualTo(texts.size() * 40);
  }

  @Test
  void contactDetailsAreDetectedInNotes() {
    assertThat(ParseUseCase.hasContactDetails(SIGNATURE)).isTrue();
    assertThat(ParseUseCase.hasContactDetails("call me on +1 312 555 0142")).isTrue();
    assertThat(ParseUseCase.hasContactDetails("see www.acme.com")).isTrue();
    assertThat(ParseUseCase.hasContactDetails("Budget approved for Q1, 850 employees, 40 reps by 2026.")).isFalse();
    assertThat(ParseUseCase.hasContactDetails(null)).isFalse();
  }
}
