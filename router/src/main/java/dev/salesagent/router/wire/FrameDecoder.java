package dev.salesagent.router.wire;

import io.vertx.core.buffer.Buffer;

/** Splits a streaming body into frames (SSE events, NDJSON lines) incrementally, whatever the read boundaries. */
public interface FrameDecoder {

  /** One read of the body. @throws FrameTooLargeException when one frame grows past the decoder's limit */
  void feed(Buffer chunk);

  /** Bytes {@code [off, off+len)} of the body; the array is not retained. */
  void feed(byte[] buf, int off, int len);

  /** The body ended; true when an unfinished frame was pending (and is discarded). */
  boolean end();

  /** Ignore everything from now on (the terminator was seen, or the stream failed). */
  void close();
}
