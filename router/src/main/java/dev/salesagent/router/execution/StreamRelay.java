package dev.salesagent.router.execution;

import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.provider.ChatStream;
import dev.salesagent.router.routing.StreamControl;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.strategy.TargetRef;
import dev.salesagent.router.tokens.TokenEstimator;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one request's stream to its observer so that it sees one seamless stream however many targets produced it.
 * Keeps what a continuation needs (the text delivered so far, whether a tool call went out), sums the usage of every
 * segment, and carries the observer's backpressure to whichever upstream stream is current.
 */
final class StreamRelay implements StreamControl {
  // logged under the router's name: that is the logger operators configure
  private static final Logger log = LoggerFactory.getLogger(UnifiedRouter.class);

  private final StreamObserver observer;
  private final StringBuilder partial = new StringBuilder();
  private boolean started;
  private boolean delivered;
  /** Reasoning reached the observer and nothing has closed it yet (a signature, text or a tool call). */
  private boolean reasoningUnsigned;
  private boolean toolsDelivered;
  private boolean paused;
  private ChatStream current;
  /** Set by {@link #cancel()} from whatever thread the observer called it on. */
  private volatile boolean cancelled;
  private Runnable canceller;
  private int segments;
  private Integer usageIn;
  private Integer usageOut;
  private Integer usageCached;
  private Integer usageCacheWrite;
  private Long firstTtftMs;
  /** Whitespace cut from the end of the prefill; a continuation that repeats it must not show it twice. */
  private String pendingWs = "";

  StreamRelay(StreamObserver observer) {
    this.observer = observer;
  }

  /** What {@link #cancel()} runs: the request's own cancellation (which hops to its context). */
  void onCancel(Runnable canceller) {
    this.canceller = canceller;
  }

  /** The observer cancelled: nothing more reaches it. */
  boolean cancelled() { return cancelled; }

  /** Content reached the observer: from now on only a continuation can rescue the stream. */
  boolean delivered() { return delivered; }

  /** A tool call reached the observer: no prefill can continue half a tool call. */
  boolean toolsDelivered() { return toolsDelivered; }

  boolean paused() { return paused; }

  int deliveredChars() { return partial.length(); }

  /** The text the observer has seen, for estimating what a continuation costs. */
  String deliveredText() { return partial.toString(); }

  /** The text the observer has seen since it had seen {@code from} characters: one attempt's part of the stream. */
  String deliveredSince(int from) { return from >= partial.length() ? "" : partial.substring(from); }

  void deliver(TargetRef t, StreamEvent ev) {
    if (cancelled) return;
    if (!started) {
      started = true;
      try {
        observer.onStart(t.target(), this);
      } catch (RuntimeException ex) {
        log.warn("stream observer onStart threw", ex);
      }
      if (cancelled) return; // the observer cancelled in onStart (its client had gone already)
    }
    delivered = true;
    if (ev instanceof StreamEvent.TextDelta td) {
      partial.append(td.text());
      reasoningUnsigned = false;
    } else if (ev instanceof StreamEvent.ToolCallDelta) {
      toolsDelivered = true;
      reasoningUnsigned = false;
    } else if (ev instanceof StreamEvent.ReasoningDelta) {
      reasoningUnsigned = true;
    } else if (ev instanceof StreamEvent.ReasoningSignature) {
      reasoningUnsigned = false;
    }
    try {
      observer.onEvent(ev);
    } catch (RuntimeException ex) {
      log.warn("stream observer onEvent threw", ex);
    }
  }

  private void deliverToObserver(StreamEvent ev) {
    if (cancelled || !started) return;
    try {
      observer.onEvent(ev);
    } catch (RuntimeException ex) {
      log.warn("stream observer onEvent threw", ex);
    }
  }

  @Override
  public void pause() {
    paused = true;
    if (current != null) current.pause();
  }

  @Override
  public void resume() {
    paused = false;
    if (current != null) current.resume();
  }

  @Override
  public void cancel() {
    if (cancelled) return;
    cancelled = true;
    Runnable c = canceller;
    if (c != null) c.run();
  }

  /** The upstream stream that backpressure now reaches; it starts paused when the observer is. */
  void attach(ChatStream s) {
    current = s;
    if (paused) s.pause();
  }

  void detach(ChatStream s) {
    if (s == current) current = null;
  }

  /** The request's time to first token: set by the first attempt that produced content, kept across continuations. */
  void firstContent(Deadline deadline) {
    if (firstTtftMs == null) firstTtftMs = deadline.elapsedMs();
  }

  /** One attempt's part of the stream ended, well or not; its usage counts towards the joined answer. */
  void segmentEnded(Usage u) {
    segments++;
    if (u == null || !u.isKnown()) return;
    if (u.inputTokens() != null) usageIn = (usageIn == null ? 0 : usageIn) + u.inputTokens();
    if (u.outputTokens() != null) usageOut = (usageOut == null ? 0 : usageOut) + u.outputTokens();
    if (u.cachedInputTokens() != null) usageCached = (usageCached == null ? 0 : usageCached) + u.cachedInputTokens();
    if (u.cacheCreationInputTokens() != null) {
      usageCacheWrite = (usageCacheWrite == null ? 0 : usageCacheWrite) + u.cacheCreationInputTokens();
    }
  }

  /**
   * The conversation with the delivered partial answer as a trailing assistant message (prefill). Trailing whitespace
   * is cut because providers reject a prefill that ends in it; {@link #dropRepeatedWhitespace} removes it again if the
   * continuation starts with it. Output tokens already spent come off {@code max_tokens}. A continuation with a prefill
   * does not ask for thinking again.
   */
  ChatRequest continuationRequest(ChatRequest chat, TokenEstimator tokens) {
    if (reasoningUnsigned) {
      // the failed attempt's reasoning was cut before its signature: it ends here, unsigned, and the next attempt's
      // reasoning starts anew (one block signed by the second provider over both would be refused when sent back)
      reasoningUnsigned = false;
      deliverToObserver(new StreamEvent.ReasoningSignature(""));
    }
    String text = partial.toString();
    String trimmed = text.stripTrailing();
    pendingWs = text.substring(trimmed.length());
    List<Message> msgs = new ArrayList<>(chat.messages().size() + 1);
    msgs.addAll(chat.messages());
    if (!trimmed.isEmpty()) msgs.add(Message.assistant(trimmed));
    ChatRequest c = chat.withMessages(msgs);
    // Anthropic refuses a prefill while thinking is on; the reasoning was already streamed, the rest is answer text
    if (!trimmed.isEmpty() && c.thinking() != null) c = c.withThinking(null);
    if (chat.maxTokens() != null) {
      int used = usageOut != null ? usageOut : tokens.count(text);
      c = c.withMaxTokens(Math.max(1, chat.maxTokens() - used));
    }
    return c;
  }

  /** The first text of a continuation without the whitespace the observer already has. */
  String dropRepeatedWhitespace(String text) {
    int k = 0;
    while (k < pendingWs.length() && k < text.length() && text.charAt(k) == pendingWs.charAt(k)) k++;
    return k > 0 ? text.substring(k) : text;
  }

  /** The final answer: as the last target gave it, or, after continuations, the whole delivered text and summed usage. */
  ChatResponse joined(ChatResponse resp, Deadline deadline) {
    if (segments <= 1) return resp;
    Usage u = (usageIn == null && usageOut == null) ? Usage.UNKNOWN : new Usage(usageIn, usageOut, usageCached, usageCacheWrite);
    return new ChatResponse(resp.id(), resp.provider(), resp.model(), partial.toString(), resp.reasoning(), resp.toolCalls(),
        resp.finishReason(), resp.nativeFinishReason(), u, deadline.elapsedMs(), firstTtftMs, resp.reasoningSignature());
  }
}
