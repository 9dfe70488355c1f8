package dev.salesagent.agent.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.lead.Evidence;
import dev.salesagent.agent.qualify.OptOutDetector;
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

/**
 * {@link TriageUseCase} through the real router and the provider emulators over HTTP: replies the free rules do not
 * decide go to the {@code triage} task, Cerebras first; the answer passes the schema and the quote check; the rules'
 * replies make no call at all.
 */
class TriageEmulatorTest {
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
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void modelTriageIsQuotedFromTheReplyAndRulesCostNothing() throws Exception {
    FreeRules rules = new FreeRules(OptOutDetector.bundled());
    TriageUseCase triage = new TriageUseCase(rules, new StructuredCaller(runtime.router()));
    int byModel = 0, byRules = 0;
    for (Mailbox.Labelled m : Mailbox.all()) {
      InboundReply r = MimeReplies.parse(m.raw());
      int before = usage.size();
      Triage t = await(triage.triage(r, "triage-test:" + m.file(), Actor.operator()));
      if (rules.decide(r).isPresent()) {
        byRules++;
        assertThat(usage.size()).as(m.file() + " needs no model").isEqualTo(before);
        continue;
      }
      byModel++;
      assertThat(t.decidedBy()).isEqualTo("model");
      assertThat(t.provider()).as("Cerebras first").isEqualTo("cerebras");
      assertThat(Evidence.foundIn(t.evidence(), TriageUseCase.modelText(r))).as(m.file() + ": " + t.evidence()).isTrue();
      assertThat(usage.subList(before, usage.size())).allSatisfy(u -> assertThat(u.task()).isEqualTo("triage"));
    }
    assertThat(byModel).isGreaterThan(20);
    assertThat(byRules).isGreaterThan(15);
    // deterministic: the same reply gets the same answer
    InboundReply again = MimeReplies.parse(Mailbox.bytes("fr-interesse.eml"));
    Triage a = await(triage.triage(again, "triage-test:a", Actor.operator()));
    Triage b = await(triage.triage(again, "triage-test:b", Actor.operator()));
    assertThat(b.category()).isEqualTo(a.category());
    assertThat(b.evidence()).isEqualTo(a.evidence());
  }
}
