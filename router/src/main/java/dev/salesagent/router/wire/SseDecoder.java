package dev.salesagent.router.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental decoder for {@code text/event-stream} bodies following the WHATWG event-stream algorithm.
 *
 * <ul>
 *   <li>lines end with LF, CRLF or CR — a CR ending one chunk and an LF starting the next are one line end;</li>
 *   <li>lines starting with {@code :} are comments and ignored; unknown fields, {@code id:} and {@code retry:} are
 *       ignored;</li>
 *   <li>{@code data:} lines accumulate joined by {@code \n}; one space after the colon is stripped;</li>
 *   <li>a blank line dispatches the event (an event with no data line is not dispatched);</li>
 *   <li>an event not terminated by a blank line before {@link #end()} is discarded, and {@code end()} says so.</li>
 * </ul>
 *
 * <p>Works on bytes: nothing is decoded as UTF-8 until a whole line is available, so a read boundary inside a
 * multi-byte character is harmless. The data handed to the listener is a view of an internal buffer that is reused:
 * it is valid only during the callback. A line or event past {@link FrameTooLargeException#MAX_BYTES} throws
 * {@link FrameTooLargeException}. Event names are cached, so a steady stream allocates nothing but the data
 * copy it has to hold. Not thread-safe: feed it from one thread (a Vert.x context).
 */
public final class SseDecoder implements FrameDecoder {

  /** Receives each dispatched event. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param event the {@code event:} name, or {@code null} when the event had none (the WHATWG default "message")
     * @param data  the joined data lines (UTF-8 bytes), valid only during this call
     * @param len   number of valid bytes in {@code data}
     */
    void onEvent(String event, byte[] data, int len);
  }

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final Listener listener;
  private final byte[] scratch = new byte[4096];
  private byte[] line = new byte[512];
  private int lineLen;
  private byte[] data = new byte[2048];
  private int dataLen;
  private boolean hasData;
  private String event;
  private boolean pending;
  private boolean skipLf;
  private boolean ended;
  private int bom; // bytes of a leading UTF-8 BOM matched so far; 3 = past the start of the stream
  // tiny cache of event names: a stream reuses a handful of names
  private final byte[][] nameBytes = new byte[16][];
  private final String[] names = new String[16];
  private int namesUsed;

  public SseDecoder(Listener listener) {
    this.listener = listener;
  }

  /** Feeds one read; dispatches every event it completes. */
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

  /** Feeds bytes {@code [off, off+len)}; the array is not retained. */
  @Override
  public void feed(byte[] buf, int off, int len) {
    if (ended) return;
    int i = off;
    int end = off + len;
    while (bom < 3 && i < end) { // the stream may start with a UTF-8 BOM, which is not part of the first line
      if (buf[i] == BOM[bom]) {
        bom++;
        i++;
      } else {
        appendLine(BOM, 0, bom); // a false start: those bytes were content
        bom = 3;
      }
    }
    if (skipLf && i < end) {
      if (buf[i] == LF) i++;
      skipLf = false;
    }
    while (i < end) {
      int j = i;
      while (j < end) {
        byte c = buf[j];
        if (c == LF || c == CR) break;
        j++;
      }
      if (j == end) { // no line end in this chunk: keep the fragment
        appendLine(buf, i, end - i);
        return;
      }
      if (lineLen == 0) {
        processLine(buf, i, j - i);
      } else {
        appendLine(buf, i, j - i);
        processLine(line, 0, lineLen);
        lineLen = 0;
      }
      if (ended) return;
      if (buf[j] == CR) {
        if (j + 1 < end) {
          if (buf[j + 1] == LF) j++;
        } else {
          skipLf = true;
        }
      }
      i = j + 1;
    }
  }

  /**
   * The body ended. Discards an event or line that was not terminated.
   *
   * @return {@code true} when something was discarded (the stream was cut inside an event)
   */
  @Override
  public boolean end() {
    if (ended) return false;
    ended = true;
    boolean partial = pending || lineLen > 0 || (bom > 0 && bom < 3);
    lineLen = 0;
    resetEvent();
    return partial;
  }

  /** Stops decoding: later feeds are ignored (used once the consumer saw its terminator). */
  @Override
  public void close() {
    ended = true;
  }

  private void appendLine(byte[] buf, int off, int len) {
    if (len == 0) return;
    if (lineLen + len > FrameTooLargeException.MAX_BYTES) throw new FrameTooLargeException(lineLen + len);
    if (lineLen + len > line.length) line = Arrays.copyOf(line, Math.max(lineLen + len, line.length * 2));
    System.arraycopy(buf, off, line, lineLen, len);
    lineLen += len;
  }

  private void appendData(byte[] buf, int off, int len) {
    int need = dataLen + len + 1;
    if (need > FrameTooLargeException.MAX_BYTES) throw new FrameTooLargeException(need);
    if (need > data.length) data = Arrays.copyOf(data, Math.max(need, data.length * 2));
    if (hasData) data[dataLen++] = LF;
    System.arraycopy(buf, off, data, dataLen, len);
    dataLen += len;
    hasData = true;
  }

  private void processLine(byte[] buf, int off, int len) {
    if (len == 0) {
      dispatch();
      return;
    }
    if (buf[off] == ':') return; // comment
    int end = off + len;
    int colon = -1;
    for (int k = off; k < end; k++) {
      if (buf[k] == ':') { colon = k; break; }
    }
    int nameEnd = colon < 0 ? end : colon;
    int vStart = colon < 0 ? end : colon + 1;
    if (vStart < end && buf[vStart] == ' ') vStart++;
    int nameLen = nameEnd - off;
    if (nameLen == 4 && buf[off] == 'd' && buf[off + 1] == 'a' && buf[off + 2] == 't' && buf[off + 3] == 'a') {
      appendData(buf, vStart, end - vStart);
      pending = true;
    } else if (nameLen == 5 && buf[off] == 'e' && buf[off + 1] == 'v' && buf[off + 2] == 'e' && buf[off + 3] == 'n'
        && buf[off + 4] == 't') {
      event = name(buf, vStart, end - vStart);
      pending = true;
    } else {
      pending = true; // id:, retry:, unknown fields: ignored, but they belong to an open event
    }
  }

  private void dispatch() {
    if (hasData) {
      String ev = event;
      int len = dataLen;
      resetEvent();
      listener.onEvent(ev, data, len);
    } else {
      resetEvent();
    }
  }

  private void resetEvent() {
    dataLen = 0;
    hasData = false;
    event = null;
    pending = false;
  }

  private String name(byte[] buf, int off, int len) {
    for (int k = 0; k < namesUsed; k++) {
      byte[] nb = nameBytes[k];
      if (nb.length == len && Arrays.equals(nb, 0, len, buf, off, off + len)) return names[k];
    }
    String s = new String(buf, off, len, StandardCharsets.UTF_8);
    if (namesUsed < names.length) {
      nameBytes[namesUsed] = Arrays.copyOfRange(buf, off, off + len);
      names[namesUsed++] = s;
    }
    return s;
  }
}
