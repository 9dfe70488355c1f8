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
}
