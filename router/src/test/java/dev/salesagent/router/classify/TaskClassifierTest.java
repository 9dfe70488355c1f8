package dev.salesagent.router.classify;

import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ResponseFormat;
import org.junit.jupiter.api.Test;

class TaskClassifierTest {
  final TaskClassifier c = new TaskClassifier();

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
}
