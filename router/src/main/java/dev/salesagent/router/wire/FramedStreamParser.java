package dev.salesagent.router.wire;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.model.StreamEvent;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every protocol's stream parser shares: feeding reads to its frame decoder until the outcome is known, failing
 * the stream on an oversized frame, and deciding the outcome of a body that ended before its terminator. Subclasses
 * only interpret frames.
 */
public abstract class FramedStreamParser implements StreamParser {
  private static final Logger LOG = LoggerFactory.getLogger(FramedStreamParser.class);

  protected final ChatAccumulator acc;

  protected FramedStreamParser(Handler<StreamEvent> events) {
    this.acc = new ChatAccumulator(events);
  }

  /** The decoder this parser listens to (created by the subclass, which is its listener). */
  protected abstract FrameDecoder decoder();

  /**
   * Called when the body ended before the terminator: complete the answer if the protocol allows it (a properly
   * closed stream), else say why it is truncated.
   *
   * @param partial an unfinished frame was pending at the end
   * @return the truncation reason, or {@code null} after completing the accumulator
   */
  protected abstract String endedEarly(boolean partial);

  @Override
  public final void feed(Buffer chunk) {
    if (acc.finished()) return;
    try {
      decoder().feed(chunk);
    } catch (FrameTooLargeException e) {
      tooLarge(e);
    }
  }

  @Override
  public final void feed(byte[] bytes, int off, int len) {
    if (acc.finished()) return;
    try {
      decoder().feed(bytes, off, len);
    } catch (FrameTooLargeException e) {
      tooLarge(e);
    }
  }

  private void tooLarge(FrameTooLargeException e) {
    LOG.warn("{}; failing the stream", e.getMessage());
    acc.fail(WireFailure.of(ErrorKind.INTERRUPTED, WireFailure.MALFORMED_EVENT, e.getMessage()));
    decoder().close();
  }

  @Override
  public final void end() {
    boolean partial = decoder().end();
    if (acc.finished()) return;
    String reason = endedEarly(partial);
    if (reason != null) acc.fail(WireFailure.truncated(reason));
  }

  @Override
  public final ChatAccumulator accumulator() {
    return acc;
  }
}
