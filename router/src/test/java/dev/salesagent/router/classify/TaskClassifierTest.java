package dev.salesagent.router.classify;

import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ResponseFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskClassifierTest {
  final TaskClassifier c = TaskClassifier.fromConfig(ConfigLoader.load(null, Map.of()));

  @Test
  void picksEachTaskAndExplainsWhy() {
    assertEquals("qualification", c.classify(ChatRequest.user("Qualify this lead: is the VP a decision maker with budget authority?")).task());
    assertEquals("content", c.classify(ChatRequest.user("Write a cold email to the head of sales, friendly tone")).task());
    assertEquals("research", c.classify(ChatRequest.user("Research the company Acme: competitors, recent funding and market news")).task());
    TaskClassifier.Classification p = c.classify(ChatRequest.user("Extract name, title and phone from: Jane Doe, CTO, jane@acme.io, +1 555 0100")
        .withResponseFormat(ResponseFormat.JSON_OBJECT));
    assertEquals("parsing", p.task());
    assertTrue(p.reason().contains("JSON output requested"), p.reason());
    assertTrue(p.reason().startsWith("parsing scored"), p.reason());
  }

  @Test
  void noSignalDefaultsToQualificationAndSaysSo() {
    TaskClassifier.Classification r = c.classify(ChatRequest.user("hello there"));
    assertEquals("qualification", r.task());
    assertTrue(r.reason().contains("no task signal"));
  }

  /** The default configuration classifies every corpus request exactly as the hard-coded keyword lists did. */
  @Test
  void defaultConfigurationClassifiesAsTheFormerHardCodedKeywords() throws IOException {
    List<String> golden;
    try (InputStream in = getClass().getResourceAsStream("classifier-golden.tsv")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    List<ChatRequest> corpus = ClassifierCorpus.requests();
    assertEquals(ClassifierCorpus.SIZE, golden.size());
    int fallbacks = 0;
    for (int i = 0; i < corpus.size(); i++) {
      String[] want = golden.get(i).split("\t", 2);
      TaskClassifier.Classification got = c.classify(corpus.get(i));
      assertEquals(want[0], got.task(), "request " + i);
      if (want[1].startsWith("no task signal")) {
        // the only wording that changed: the fallback is the first configured task, whatever its chain
        fallbacks++;
        assertEquals("no task signal in the messages; defaulted to qualification (the first configured task)", got.reason(), "request " + i);
      } else {
        assertEquals(want[1], got.reason(), "request " + i);
      }
    }
    assertTrue(fallbacks > 0 && fallbacks < corpus.size() / 2, "the corpus exercises both scoring and the fallback: " + fallbacks);
  }

  @Test
  void keywordsComeFromTheConfigurationAndTiesGoToTheEarlierTask() {
    TaskClassifier k = new TaskClassifier(List.of(
        new TaskClassifier.TaskKeywords("triage", List.of("Ticket", "urgent")),
        new TaskClassifier.TaskKeywords("translate", List.of("translate", "french")),
        new TaskClassifier.TaskKeywords("parsing", List.of())));
    assertEquals("translate", k.classify(ChatRequest.user("Translate this to French")).task());
    TaskClassifier.Classification tie = k.classify(ChatRequest.user("urgent: translate"));
    assertEquals("triage", tie.task());
    assertEquals("triage scored 2 ('urgent'); translate 2", tie.reason());
    assertEquals("triage scored 2 ('ticket')", k.classify(ChatRequest.user("a TICKET")).reason(), "keywords match case-insensitively");
    // no "bant" or "lead score" unless the configuration says so
    TaskClassifier.Classification none = k.classify(ChatRequest.user("what is the lead score under BANT?"));
    assertEquals("triage", none.task());
    assertEquals("no task signal in the messages; defaulted to triage (the first configured task)", none.reason());
    // shape signals still go to a configured task named parsing
    assertEquals("parsing scored 3 (JSON output requested)",
        k.classify(ChatRequest.user("hello").withResponseFormat(ResponseFormat.JSON_OBJECT)).reason());
  }

  @Test
  void shapeSignalsNeedTheirTaskConfigured() {
    TaskClassifier k = new TaskClassifier(List.of(new TaskClassifier.TaskKeywords("only", List.of("x-word"))));
    TaskClassifier.Classification r = k.classify(ChatRequest.user("jane@acme.io 555 0100 " + "y".repeat(7000))
        .withResponseFormat(ResponseFormat.JSON_OBJECT));
    assertEquals("only", r.task());
    assertTrue(r.reason().startsWith("no task signal"), r.reason());
    assertThrows(IllegalArgumentException.class, () -> new TaskClassifier(List.of()));
  }
}
