package dev.salesagent.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A console appender for high-rate lines (the access log): each thread encodes its lines into a buffer of its own, and
 * one flusher thread writes everything buffered, all threads at once, a few milliseconds after the first line of a
 * batch. The calling thread (an event loop) never waits on the terminal or pipe behind stderr, and neither it nor the
 * flusher pays a thread wake-up and a write call per line, which {@code AsyncAppender} does: on a two-core machine
 * that wake-up was a measurable share of a request's added latency.
 *
 * <p>Nothing is dropped. A thread whose buffer passes {@link #setMaxBufferBytes} writes it out itself, as a full
 * {@code AsyncAppender} queue would make it wait; {@link #stop()} writes what is left. Lines of one thread keep their
 * order; lines of different threads interleave by batch, each with its own timestamp.
 */
public final class BatchedConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private Encoder<ILoggingEvent> encoder;
  private long flushMillis = 20;
  private int maxBufferBytes = 256 * 1024;
  private final Supplier<OutputStream> target;

  private final Set<LineBuffer> buffers = ConcurrentHashMap.newKeySet();
  private final ThreadLocal<LineBuffer> local = ThreadLocal.withInitial(this::newBuffer);
  private final AtomicBoolean batchOpen = new AtomicBoolean();
  /** Held while writing, so one thread's batches reach the stream in the order they were taken. */
  private final Object output = new Object();
  private final ByteArrayOutputStream drained = new ByteArrayOutputStream(64 * 1024);
  private volatile boolean running;
  private Thread flusher;

  /** Writes to {@code System.err} as it is when each batch is written. */
  public BatchedConsoleAppender() {
    this(() -> System.err);
  }

  BatchedConsoleAppender(Supplier<OutputStream> target) {
    this.target = target;
  }

  /** Encodes and batches exactly like the console one, then drops the bytes: for the warm-up's access lines. */
  public static BatchedConsoleAppender discarding() {
    OutputStream nowhere = OutputStream.nullOutputStream();
    return new BatchedConsoleAppender(() -> nowhere);
  }

  public Encoder<ILoggingEvent> getEncoder() {
    return encoder;
  }

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  /** How long a batch collects lines after its first one; 1 to 1000 ms. */
  public void setFlushMillis(long flushMillis) {
    this.flushMillis = flushMillis;
  }

  /** A thread holding this much unwritten output writes it itself rather than buffer more. */
  public void setMaxBufferBytes(int maxBufferBytes) {
    this.maxBufferBytes = maxBufferBytes;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("no encoder set for the appender named [" + name + "]");
      return;
    }
    if (flushMillis < 1 || flushMillis > 1000) {
      addError("flushMillis must be 1 to 1000, got " + flushMillis);
      return;
    }
    running = true;
    flusher = new Thread(this::flushLoop, "log-flusher-" + name);
    flusher.setDaemon(true);
    flusher.start();
    super.start();
  }

  @Override
  public void stop() {
    if (!isStarted()) return;
    super.stop();
    running = false;
    LockSupport.unpark(flusher);
    try {
      flusher.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writeAll();
  }

  @Override
  protected void append(ILoggingEvent event) {
    byte[] line = encoder.encode(event);
    LineBuffer b = local.get();
    boolean full;
    synchronized (b) {
      b.add(line);
      full = b.length >= maxBufferBytes;
    }
    if (full) {
      writeOwn(b);
    } else if (!batchOpen.get() && batchOpen.compareAndSet(false, true)) {
      LockSupport.unpark(flusher);
    }
  }

  private void flushLoop() {
    long batchNanos = TimeUnit.MILLISECONDS.toNanos(flushMillis);
    while (running) {
      LockSupport.park(this);
      if (!batchOpen.get()) continue;
      long deadline = System.nanoTime() + batchNanos;
      for (long left = batchNanos; left > 0 && running; left = deadline - System.nanoTime()) {
        LockSupport.parkNanos(this, left);
      }
      // Reopened before draining: a line that lands during the drain signals the next batch instead of being missed.
      batchOpen.set(false);
      writeAll();
    }
  }

  /** Every thread's buffered lines, one write; buffers of threads that have ended are forgotten once empty. */
  private void writeAll() {
    synchronized (output) {
      drained.reset();
      for (LineBuffer b : buffers) {
        synchronized (b) {
          b.moveTo(drained);
        }
        if (!b.owner.isAlive()) buffers.remove(b);
      }
      write(drained);
    }
  }

  private void writeOwn(LineBuffer b) {
    synchronized (output) {
      drained.reset();
      synchronized (b) {
        b.moveTo(drained);
      }
      write(drained);
    }
  }

  private void write(ByteArrayOutputStream bytes) {
    if (bytes.size() == 0) return;
    try {
      OutputStream out = target.get();
      bytes.writeTo(out);
      out.flush();
    } catch (IOException e) {
      addError("could not write " + bytes.size() + " bytes of log lines", e);
    }
  }

  private LineBuffer newBuffer() {
    LineBuffer b = new LineBuffer(Thread.currentThread());
    buffers.add(b);
    return b;
  }

  /** Encoded lines of one thread not yet written. Guarded by itself. */
  private static final class LineBuffer {
    final Thread owner;
    byte[] bytes = new byte[8192];
    int length;

    LineBuffer(Thread owner) {
      this.owner = owner;
    }

    void add(byte[] line) {
      if (length + line.length > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + line.length));
      System.arraycopy(line, 0, bytes, length, line.length);
      length += line.length;
    }

    void moveTo(ByteArrayOutputStream out) {
      out.write(bytes, 0, length);
      length = 0;
    }
  }
}
