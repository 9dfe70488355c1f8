package dev.salesagent.router.tokens;

import static org.junit.jupiter.api.Assertions.*;

import com.knuddels.jtokkit.api.EncodingType;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

  @Test
  void approximatesUntilTheVocabularyIsLoadedThenCountsExactly() {
    TokenEstimator t = new TokenEstimator(EncodingType.CL100K_BASE);
    assertFalse(t.ready());
    assertEquals(3, t.count("hello world!"), "12 chars / 4 before the vocabulary is there");
    assertTrue(t.awaitReady(60_000));
    assertEquals(3, t.count("hello world!"));
    assertEquals(2, t.count("hello world"));
    int n = t.estimateInput(ChatRequest.of(List.of(Message.system("You qualify leads."), Message.user("VP Sales at Acme"))));
    assertTrue(n > 10 && n < 30, "with per-message overhead: " + n);
    assertEquals(25_000, t.count("x".repeat(100_000)), "very long text: 4 chars per token");
  }

  /**
   * Counting is what a request's settlement does (a cancelled stream's output, a continuation's prefill): it must not
   * start the vocabulary's load, whose garbage collections pause every event loop (docs/PERFORMANCE.md "Hostile
   * traffic"). Only {@code preload} (the runtime, when the configuration ranks by cost) does.
   */
  @Test
  void countingNeverStartsTheLoadOnlyPreloadDoes() {
    TokenEstimator t = new TokenEstimator(EncodingType.CL100K_BASE);
    assertEquals(3, t.count("hello world!"));
    assertEquals(25_000, t.count("x".repeat(100_000)));
    int n = t.estimateInput(ChatRequest.of(List.of(Message.system("You qualify leads."), Message.user("VP Sales at Acme"))));
    assertEquals(t.quickEstimateInput(ChatRequest.of(List.of(Message.system("You qualify leads."),
        Message.user("VP Sales at Acme")))), n, "without the vocabulary the exact estimate is the quick one");
    assertFalse(t.loadRequested(), "no count asked for the vocabulary");
    assertFalse(t.ready());
    t.preload();
    assertTrue(t.loadRequested());
  }

  @Test
  void rememberedCountsEqualFreshCountsAndQuickEstimateStaysNearTheTokenizer() {
    TokenEstimator t = new TokenEstimator(EncodingType.O200K_BASE);
    assertTrue(t.awaitReady(60_000));
    String prose = "Maria Gomez is VP of Sales at Acme Logistics, a 240-person freight company in Hamburg. "
        + "She asked for pricing after the webinar and says budget is approved for Q3.";
    int first = t.count(prose);
    assertEquals(first, t.count(new String(prose)), "an equal text counts the same whether remembered or not");
    ChatRequest req = ChatRequest.of(List.of(Message.system("You qualify leads."), Message.user(prose.repeat(20))));
    int exact = t.estimateInput(req);
    int quick = t.quickEstimateInput(req);
    assertTrue(Math.abs(quick - exact) < exact * 0.4, "4 chars/token within 40% on English prose: quick " + quick + " vs " + exact);
  }
}
