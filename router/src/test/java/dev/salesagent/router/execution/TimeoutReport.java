package dev.salesagent.router.execution;

import dev.salesagent.router.routing.RoutedCall;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What an {@link EmulatorHarness} await that timed out says, so that a hang on a CI machine names its cause: the
 * request's own state read on its event loop (which target, which attempt, its stream and timers — or that the loop
 * did not answer), the exceptions Vert.x handlers threw and nobody handled, what the emulator received, the attempts
 * recorded, the JVM's GC time and heap, and the stacks of the Vert.x threads (a blocked loop shows there).
 */
final class TimeoutReport {
  /** How long the request's event loop gets to answer before it is reported as not answering. */
  static final long LOOP_ANSWER_MS = 5_000;
  private static final int MAX_FRAMES = 40;

  private TimeoutReport() {}

  /**
   * The first line says what matters most — where the request stands, whether a handler threw, whether the JVM stalled
   * — because a build log's summary shows only that line; the sections after it give the detail.
   *
   * @param harness   null for an await outside a harness
   * @param call      null for an await on some other future
   * @param stallMark {@link StallMonitor#mark()} taken when the wait began, null when unknown
   */
  static String of(String what, long waitedSeconds, EmulatorHarness harness, RoutedCall call, Long stallMark) {
    StringBuilder sb = new StringBuilder(8192);
    sb.append(what).append(" did not complete within ").append(waitedSeconds).append(" s");
    if (call != null) sb.append(": ").append(requestState(call));
    if (harness != null) sb.append("; unhandled handler exceptions: ").append(harness.unhandled.size());
    if (stallMark != null) sb.append("; ").append(StallMonitor.since(stallMark));
    if (harness != null) harness.describeInto(sb);
    sb.append("\n-- jvm: ").append(jvm());
    sb.append("\n-- threads:").append(threads());
    return sb.toString();
  }

  /** The request's {@link RequestExecution#toString()}, read on its context so the fields are that thread's. */
  static String requestState(RoutedCall call) {
    if (!(call instanceof RequestExecution run)) return String.valueOf(call);
    Context c = run.context();
    if (c == null) return "its start task never ran on an event loop; " + offLoop(run);
    String loop = "on " + loopThread(c) + ": ";
    CompletableFuture<String> s = new CompletableFuture<>();
    c.runOnContext(v -> s.complete(run.toString()));
    try {
      return loop + s.get(LOOP_ANSWER_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return loop + "ITS EVENT LOOP DID NOT RUN A TASK WITHIN " + LOOP_ANSWER_MS + " ms (blocked: see its stack below); "
          + offLoop(run);
    } catch (Exception e) {
      return loop + "could not read it: " + e + "; " + offLoop(run);
    }
  }

  /** The thread that runs {@code c}, by name and id (every Vert.x instance numbers its loops from 0), to find its stack below. */
  private static String loopThread(Context c) {
    if (!(c instanceof ContextInternal ci) || ci.nettyEventLoop() == null) return "a context that is not an event loop";
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (ci.nettyEventLoop().inEventLoop(t)) return "\"" + t.getName() + "\" #" + t.getId();
    }
    return "an event loop with no thread yet";
  }

  private static String offLoop(RequestExecution run) {
    try {
      return "read off its loop (may be stale): " + run;
    } catch (RuntimeException e) {
      return "unreadable off its loop: " + e;
    }
  }

  static String jvm() {
    long gcMs = 0;
    long gcs = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcMs += Math.max(0, gc.getCollectionTime());
      gcs += Math.max(0, gc.getCollectionCount());
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return "up " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms, " + gcs + " GCs taking " + gcMs + " ms, heap "
        + (heap.getUsed() >> 20) + " of " + (heap.getMax() >> 20) + " MB, " + Runtime.getRuntime().availableProcessors()
        + " CPUs, load " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Vert.x and tokenizer threads with their stacks, any BLOCKED thread, and the deadlocks the JVM finds. */
  static String threads() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    StringBuilder sb = new StringBuilder(4096);
    long[] deadlocked = mx.findDeadlockedThreads();
    if (deadlocked != null) sb.append("\nDEADLOCKED THREADS: ").append(deadlocked.length);
    StringBuilder idle = new StringBuilder();
    for (ThreadInfo t : mx.dumpAllThreads(true, true)) {
      String name = t.getThreadName();
      boolean wanted = name.startsWith("vert.x-") || name.startsWith("jtokkit") || t.getThreadState() == Thread.State.BLOCKED;
      if (!wanted) continue;
      StackTraceElement[] st = t.getStackTrace();
      if (idle(st)) { // an event loop in its selector, a worker waiting for work: one line, not a page of stacks
        idle.append(idle.length() == 0 ? "" : ", ").append(name);
        continue;
      }
      sb.append("\n\"").append(name).append("\" #").append(t.getThreadId()).append(' ').append(t.getThreadState());
      if (t.getLockName() != null) sb.append(" on ").append(t.getLockName());
      if (t.getLockOwnerName() != null) sb.append(" held by \"").append(t.getLockOwnerName()).append('"');
      for (int i = 0; i < Math.min(st.length, MAX_FRAMES); i++) sb.append("\n    at ").append(st[i]);
      if (st.length > MAX_FRAMES) sb.append("\n    ... ").append(st.length - MAX_FRAMES).append(" more");
    }
    if (idle.length() > 0) sb.append("\nidle (waiting for I/O or work): ").append(idle);
    return sb.toString();
  }

  /** Waiting for I/O or for work, with nothing of ours on the stack. */
  private static boolean idle(StackTraceElement[] st) {
    if (st.length == 0) return false;
    String top = st[0].getClassName() + "." + st[0].getMethodName();
    if (top.equals("sun.nio.ch.EPoll.wait") || top.startsWith("io.netty.channel.epoll.Native.epollWait")) return true;
    for (StackTraceElement e : st) {
      if (e.getClassName().startsWith("dev.salesagent.")) return false;
      if (e.getMethodName().equals("getTask") && e.getClassName().endsWith("ThreadPoolExecutor")) return true;
    }
    return false;
  }

  /** One line per throwable, with its first frames: enough to find the handler that threw. */
  static void throwables(StringBuilder sb, List<Throwable> ts) {
    for (Throwable t : ts) {
      sb.append("\n  ").append(t);
      StackTraceElement[] st = t.getStackTrace();
      for (int i = 0; i < Math.min(st.length, 12); i++) sb.append("\n      at ").append(st[i]);
    }
  }
}
