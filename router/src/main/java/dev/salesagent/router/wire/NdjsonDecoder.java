package dev.salesagent.router.wire;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * Incremental newline-delimited JSON splitter (Ollama's {@code application/x-ndjson}). Lines end with {@code \n}; a
 * trailing {@code \r} is dropped; blank lines are skipped; a final fragment without {@code \n} is incomplete and is
 * reported by {@link #end()}, never handed out. Works on bytes, so a read boundary inside a multi-byte character is
 * harmless. The line handed to the listener is valid only during the callback.
 */
public final class NdjsonDecoder implements FrameDecoder {

  /** Receives each complete, non-blank line. */
  @FunctionalInterface
  public interface Listener {
    void onLine(byte[] buf, int off, int len);
  }

  private final Listener listener;
  private final byte[] scratch = new byte[4096];
  private byte[] line = new byte[1024];
  private int lineLen;
  private boolean ended;

  public NdjsonDecoder(Listener listener) {
    this.listener = listener;
  }

  @Override
  public void feed(Buffer chunk) {
    int n = chunk.length();
    // copy through a fixed window: no per-read allocation, whatever the read size
    for (int off = 0; off < n && !ended; ) {
      int len = Math.min(scratch.length, n - off);
      chunk.getBytes(off, off + len, scratch, 0);
      feed(scratch, 0, len);
      off += len;
    }
  }

  @Override
  public void feed(byte[] buf, int off, int len) {
    if (ended) return;
    int i = off;
    int end = off + len;
    while (i < end) {
      int j = i;
      while (j < end && buf[j] != '\n') j++;
      if (j == end) {
        append(buf, i, end - i);
        return;
      }
      if (lineLen == 0) {
        emit(buf, i, j - i);
      } else {
        append(buf, i, j - i);
        emit(line, 0, lineLen);
        lineLen = 0;
      }
      if (ended) return;
      i = j + 1;
    }
  }

  /** @return {@code true} when a non-blank unterminated fragment was discarded */
  @Override
  public boolean end() {
    if (ended) return false;
    ended = true;
    boolean partial = !blank(line, 0, lineLen);
    lineLen = 0;
    return partial;
  }

  /** Stops decoding: later feeds are ignored. */
  @Override
  public void close() {
    ended = true;
  }

  private void emit(byte[] buf, int off, int len) {
    if (len > 0 && buf[off + len - 1] == '\r') len--;
    if (blank(buf, off, len)) return;
    listener.onLine(buf, off, len);
  }

  private static boolean blank(byte[] b, int off, int len) {
    for (int k = off; k < off + len; k++) {
      byte c = b[k];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
    }
    return true;
  }

  private void append(byte[] buf, int off, int len) {
    if (len == 0) return;
    if (lineLen + len > FrameTooLargeException.MAX_BYTES) throw new FrameTooLargeException(lineLen + len);
    if (lineLen + len > line.length) line = Arrays.copyOf(line, Math.max(lineLen + len, line.length * 2));
    System.arraycopy(buf, off, line, lineLen, len);
    lineLen += len;
  }
}
