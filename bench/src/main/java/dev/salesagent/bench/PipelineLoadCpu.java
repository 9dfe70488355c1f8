package dev.salesagent.bench;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * The process's CPU time split by thread group, so the load harness can say how much of a run went to the JIT
 * compiler and the GC rather than to the code under test, and how much to the fake providers' event loops (which
 * share the process in router mode). Compiler and GC threads are invisible to {@link ThreadMXBean}, so they are read
 * from {@code /proc/self/task/<tid>/stat} (clock ticks, 10 ms); the Java threads from the MX bean (nanoseconds).
 * Threads that exit during the window (dynamic compiler threads) show up in the remainder.
 */
final class PipelineLoadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final double NANOS_PER_TICK = 1e9 / 100; // USER_HZ is 100 on Linux

  private final Set<Long> emulatorThreads;

  private PipelineLoadCpu(Set<Long> emulatorThreads) {
    this.emulatorThreads = emulatorThreads;
  }

  /** Records the Java thread ids of {@code emulatorVertx}'s event loops (null: no emulator in this process). */
  static PipelineLoadCpu of(Vertx emulatorVertx) throws Exception {
    Set<Long> ids = new HashSet<>();
    if (emulatorVertx != null) {
      for (EventExecutor loop : ((VertxInternal) emulatorVertx).nettyEventLoopGroup()) {
        ids.add(loop.submit(() -> Thread.currentThread().getId()).get());
      }
    }
    return new PipelineLoadCpu(ids);
  }

  /** CPU nanoseconds per group at this instant. */
  Map<String, Long> sample() throws IOException {
    Map<String, Long> groups = new LinkedHashMap<>();
    for (String g : new String[] {"jit c1", "jit c2", "gc+vm", "emulator loops", "other event loops", "other java"}) groups.put(g, 0L);
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException gone) {
          continue; // exited since the listing
        }
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long nanos = (long) ((Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK); // utime, stime
        if (comm.startsWith("C1 Compiler")) groups.merge("jit c1", nanos, Long::sum);
        else if (comm.startsWith("C2 Compiler")) groups.merge("jit c2", nanos, Long::sum);
        else if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM ") || comm.equals("Sweeper thread")) {
          groups.merge("gc+vm", nanos, Long::sum);
        }
      }
    }
    for (long id : THREADS.getAllThreadIds()) {
      var info = THREADS.getThreadInfo(id);
      long nanos = THREADS.getThreadCpuTime(id);
      if (info == null || nanos < 0) continue;
      String group = emulatorThreads.contains(id) ? "emulator loops"
          : info.getThreadName().startsWith("vert.x-eventloop") ? "other event loops" : "other java";
      groups.merge(group, nanos, Long::sum);
    }
    return groups;
  }

  /** "group x ms (y ms/call, z %)" for each group between two samples; {@code totalNanos} is the process's CPU. */
  static String describe(Map<String, Long> before, Map<String, Long> after, long totalNanos, long calls) {
    StringJoiner out = new StringJoiner(", ");
    long accounted = 0;
    for (var e : after.entrySet()) {
      long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      accounted += d;
      out.add(part(e.getKey(), d, totalNanos, calls));
    }
    out.add(part("rest (exited threads, rounding)", totalNanos - accounted, totalNanos, calls));
    return out.toString();
  }

  private static String part(String name, long nanos, long total, long calls) {
    return String.format(Locale.ROOT, "%s %.0f ms (%.2f ms/call, %.0f%%)", name, nanos / 1e6, nanos / 1e6 / calls, 100.0 * nanos / total);
  }
}
