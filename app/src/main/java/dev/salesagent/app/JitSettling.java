package dev.salesagent.app;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;

/**
 * Tells from the JVM's compiler clock when the JIT has worked through the request path: the compile time added over
 * the last {@link #WINDOW_SAMPLES} one-second samples falls under {@link #QUIET_MILLIS}. Under warm-up load the
 * compilers add 500–1,500 ms of compile time per second at first; once the hot path is compiled by C2 only stray
 * methods are left (tens of ms per second).
 */
final class JitSettling {
  static final int WINDOW_SAMPLES = 3;
  /** Compile time allowed over the window: about 5 % of one core. */
  static final long QUIET_MILLIS = 150;

  private final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
  private final ArrayDeque<Long> samples = new ArrayDeque<>();

  /** False when this JVM has no JIT clock (then only the plan's ceiling ends an auto warm-up). */
  boolean measurable() { return compiler != null && compiler.isCompilationTimeMonitoringSupported(); }

  /** Takes one sample; call once a second. Returns whether the JIT counts as settled now. */
  boolean sample() {
    if (!measurable()) return false;
    return record(compiler.getTotalCompilationTime());
  }

  /** Pure part, for tests: feeds one reading of the cumulative compile time in ms. */
  boolean record(long totalCompileMillis) {
    samples.addLast(totalCompileMillis);
    if (samples.size() > WINDOW_SAMPLES + 1) samples.removeFirst();
    return samples.size() == WINDOW_SAMPLES + 1 && samples.getLast() - samples.getFirst() <= QUIET_MILLIS;
  }

  long totalCompileMillis() { return measurable() ? compiler.getTotalCompilationTime() : -1; }
}
