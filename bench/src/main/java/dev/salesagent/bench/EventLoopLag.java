package dev.salesagent.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How late each of a Vert.x instance's event loops runs a task it was given every 10 ms: the loop's own latency, the
 * part of a {@code /healthz} probe that is the gateway's (a busy loop lags alone; a pause of the whole process — GC,
 * a safepoint, the machine's CPU taken — makes every loop lag at once). Per loop: the worst lag since the last
 * {@link #take} and when it was, and the most CPU time the loop spent between two of its ticks — its longest stretch
 * of work, which the machine's other load does not lengthen (a loop waiting for a CPU lags without spending any).
 */
final class EventLoopLag {
  private static final long EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
  private final List<Loop> loops = new ArrayList<>();

  EventLoopLag(Vertx vertx) {
    EventLoopGroup group = ((VertxInternal) vertx).nettyEventLoopGroup();
    int i = 0;
    for (EventExecutor e : group) {
      Loop l = new Loop(i++);
      loops.add(l);
      e.execute(() -> l.arm(e));
    }
  }

  /** One line: per loop, the worst lag in ms and when (UTC), since the last call; then starts over. */
  String take() {
    StringBuilder sb = new StringBuilder();
    for (Loop l : loops) {
      long worst;
      long at;
      long busy;
      synchronized (l) {
        worst = l.worst;
        at = l.worstAt;
        busy = l.busiest;
        l.worst = 0;
        l.busiest = 0;
      }
      if (sb.length() > 0) sb.append(", ");
      sb.append(String.format("loop %d %.1f ms", l.index, worst / 1e6));
      if (worst > 0) {
        Instant when = Instant.now().minusNanos(System.nanoTime() - at);
        sb.append(" at ").append(LocalTime.ofInstant(when, ZoneOffset.UTC));
      }
      sb.append(String.format(" (busy %.1f ms)", busy / 1e6));
    }
    return sb.toString();
  }

  private static final class Loop {
    final int index;
    long due;
    long worst;
    long worstAt;
    long lastCpu = -1;
    long busiest;

    Loop(int index) {
      this.index = index;
    }

    void arm(EventExecutor e) {
      due = System.nanoTime() + EVERY_NANOS;
      e.schedule(() -> tick(e), EVERY_NANOS, TimeUnit.NANOSECONDS);
    }

    void tick(EventExecutor e) {
      long now = System.nanoTime();
      long late = now - due;
      long cpu = THREADS.getCurrentThreadCpuTime();
      synchronized (this) {
        if (late > worst) {
          worst = late;
          worstAt = due;
        }
        if (lastCpu >= 0) busiest = Math.max(busiest, cpu - lastCpu);
      }
      lastCpu = cpu;
      if (!e.isShuttingDown()) arm(e);
    }
  }
}
