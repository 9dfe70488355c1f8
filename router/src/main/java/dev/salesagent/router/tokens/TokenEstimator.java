package dev.salesagent.router.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.ToolSpec;

/**
 * Estimates prompt tokens with a real BPE tokenizer (jtokkit, {@code o200k_base}). No provider publishes its exact
 * tokenizer for every model, so this is an estimate for planning and budget reservations only; costs are always
 * settled from the usage the provider reports. Very long texts are estimated at 4 characters per token so the
 * estimate stays cheap (a few microseconds) whatever the prompt.
 */
public final class TokenEstimator {
  private static final int PER_MESSAGE_OVERHEAD = 4;
  private static final int PER_REQUEST_OVERHEAD = 3;
  private static final int EXACT_LIMIT_CHARS = 64_000;
  private static final int REMEMBERED_MAX = 1024;

  private final java.util.concurrent.ConcurrentHashMap<String, Integer> remembered = new java.util.concurrent.ConcurrentHashMap<>();

  private static final TokenEstimator DEFAULT = new TokenEstimator(EncodingType.O200K_BASE);

  private final EncodingType type;
  private final java.util.concurrent.CountDownLatch loaded = new java.util.concurrent.CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile Encoding encoding;

  /**
   * The encoding's vocabulary takes a second or more to load and ~28 MB of live heap in about a million small objects
   * (jtokkit's maps), so it loads only when asked for ({@link #preload()}: {@code RouterRuntime} does when the
   * configuration ranks by cost), on a daemon thread; until it is ready, counts are estimated at 4 characters per token.
   * Counting never starts the load: under the serial collector, the young collections that copy a freshly built
   * vocabulary stop every event loop for 100-300 ms, so a client must not be able to trigger it (a cancelled stream's
   * output estimate did; docs/PERFORMANCE.md "Hostile traffic"). No caller — least of all an event loop — ever waits.
   */
  public TokenEstimator(EncodingType type) {
    this.type = type;
  }

  /** Starts loading the vocabulary in the background (idempotent). */
  public TokenEstimator preload() {
    if (loading.compareAndSet(false, true)) {
      Thread t = new Thread(() -> {
        try {
          encoding = Encodings.newLazyEncodingRegistry().getEncoding(type);
        } finally {
          loaded.countDown();
        }
      }, "jtokkit-" + type.getName());
      t.setDaemon(true);
      t.start();
    }
    return this;
  }

  /** Waits up to {@code ms} for the vocabulary (tests and benchmarks); true when exact counts are available. */
  public boolean awaitReady(long ms) {
    preload();
    try {
      loaded.await(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return encoding != null;
  }

  public boolean ready() {
    return encoding != null;
  }

  public static TokenEstimator defaultEstimator() {
    return DEFAULT;
  }

  /** Whether the vocabulary was asked for (it may still be loading). */
  public boolean loadRequested() {
    return loading.get();
  }

  /**
   * Tokens of one text: by the vocabulary when it is loaded, else 4 characters per token (never starts the load, see
   * the constructor). Repeated texts (system prompts, schemas) are counted once and remembered.
   */
  public int count(String text) {
    if (text == null || text.isEmpty()) return 0;
    Encoding enc = encoding;
    if (enc == null) return quick(text);
    if (text.length() > EXACT_LIMIT_CHARS) return quick(text);
    Integer known = remembered.get(text);
    if (known != null) return known;
    int n = enc.countTokens(text);
    if (remembered.size() >= REMEMBERED_MAX) remembered.clear();
    remembered.put(text, n);
    return n;
  }

  /** Four characters per token: what BPE tokenizers average on English prose, at the cost of one division. */
  public static int quick(String text) {
    return text == null ? 0 : (text.length() + 3) / 4;
  }

  /**
   * The cheap estimate of {@link #estimateInput}: no tokenizer. BPE counting costs about 45 µs per KB of prompt
   * (jtokkit o200k, measured on this project's machine), far above the router's own per-request work, so the planner
   * asks for exact counts only where they change a decision (the cost strategy, or a prompt near a context window).
   */
  public int quickEstimateInput(ChatRequest request) {
    return input(request, TokenEstimator::quick);
  }

  /** Prompt tokens of a request: every message plus a small per-message overhead, plus tool schemas. */
  public int estimateInput(ChatRequest request) {
    return input(request, this::count);
  }

  /**
   * What a structured message adds beyond its text: tool calls (name + arguments), and a flat allowance per image
   * (providers count an image by its pixels, which the router does not decode: ~1,600 tokens is Anthropic's figure for
   * a 1.15-megapixel image, the size they recommend as the largest worth sending).
   */
  private static int partsBeyondText(Message m, java.util.function.ToIntFunction<String> tokens) {
    int n = 0;
    for (ContentPart p : m.parts()) {
      if (p instanceof ToolCall c) n += 8 + tokens.applyAsInt(c.name()) + tokens.applyAsInt(c.argumentsJson());
      else if (p instanceof ContentPart.Image) n += IMAGE_TOKENS;
      else if (p instanceof ContentPart.ToolResult) n += 8;
    }
    return n;
  }

  private static final int IMAGE_TOKENS = 1_600;

  private static int input(ChatRequest request, java.util.function.ToIntFunction<String> tokens) {
    int n = PER_REQUEST_OVERHEAD;
    for (Message m : request.messages()) {
      n += PER_MESSAGE_OVERHEAD + tokens.applyAsInt(m.content());
      if (!m.isPlainText()) n += partsBeyondText(m, tokens);
    }
    for (ToolSpec t : request.tools()) {
      n += 8 + tokens.applyAsInt(t.name()) + tokens.applyAsInt(t.description())
          + tokens.applyAsInt(t.parameters().toString());
    }
    return n;
  }
}
