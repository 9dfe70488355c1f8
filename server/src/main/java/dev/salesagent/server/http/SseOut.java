package dev.salesagent.server.http;

import dev.salesagent.router.routing.StreamControl;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The write side of an SSE response that coalesces the events produced during one event-loop task into one write.
 *
 * <p>Every {@code HttpServerResponse.write} is a flush and a socket write of its own. An upstream read usually holds
 * several events (a fast upstream sends the whole stream in one or two reads), so writing each event on its own costs a
 * system call and a Netty flush per event. Here writes are appended to a pending buffer that is written when the
 * current event-loop task ends ({@link Context#runOnContext}, queued behind the I/O being processed), or prepended to
 * the final {@link #end}: a stream that arrives in one read goes out in one write, headers included. The first event
 * waits only for the rest of the loop's current pass (microseconds unloaded), never for the next upstream read.
 * Events keep their order; only the number of writes changes.
 *
 * <p>Backpressure: when the response's write queue is full after a write, the upstream is paused through the
 * {@link StreamControl} and resumed on drain, as before.
 */
public final class SseOut {
  private final HttpServerResponse resp;
  private final Context context;
  private StreamControl control;
  private Buffer pending;

  public SseOut(HttpServerResponse resp) {
    this.resp = resp;
    Context c = Vertx.currentContext();
    this.context = c;
  }

  /** The upstream to pause when the client does not keep up. */
  public void control(StreamControl control) {
    this.control = control;
  }

  /** Writes {@code b} at the end of the current event-loop task, together with the other writes of that task. */
  public void write(Buffer b) {
    if (resp.closed() || resp.ended()) return;
    if (context == null) {
      writeNow(b);
      return;
    }
    if (pending == null) {
      pending = Buffer.buffer(Math.max(1024, b.length() * 8));
      pending.appendBuffer(b);
      context.runOnContext(v -> flush());
    } else {
      pending.appendBuffer(b);
    }
  }

  /** Writes what is pending, if anything. */
  public void flush() {
    Buffer p = pending;
    if (p == null) return;
    pending = null;
    if (resp.closed() || resp.ended()) return;
    writeNow(p);
  }

  /** Ends the response with whatever is pending followed by {@code last}. */
  public void end(Buffer last) {
    Buffer p = pending;
    pending = null;
    if (resp.closed() || resp.ended()) return;
    if (p == null) {
      resp.end(last);
    } else {
      resp.end(p.appendBuffer(last));
    }
  }

  private void writeNow(Buffer b) {
    resp.write(b);
    StreamControl c = control;
    if (c != null && resp.writeQueueFull()) {
      c.pause();
      resp.drainHandler(v -> c.resume());
    }
  }
}
