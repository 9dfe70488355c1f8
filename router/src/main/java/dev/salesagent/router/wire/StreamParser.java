package dev.salesagent.router.wire;

import io.vertx.core.buffer.Buffer;

/**
 * Turns one protocol's streaming body into content events and a final outcome, from bytes alone (no network): the
 * adapters feed it the reads of an HTTP response, tests and benchmarks feed it recorded transcripts in any chunking.
 */
public interface StreamParser {

  /** One read of the body. Ignored once {@link #accumulator()} is finished. */
  void feed(Buffer chunk);

  /** Bytes {@code [off, off+len)} of the body; the array is not retained. */
  void feed(byte[] bytes, int off, int len);

  /**
   * The body ended (the connection closed or the response completed). Decides the outcome if the terminator was not
   * seen: a stream that ended its answer properly may still count as complete, anything else fails as
   * {@code interrupted}.
   */
  void end();

  /** The state and the content so far; {@code finished()} once the outcome is known. */
  ChatAccumulator accumulator();
}
