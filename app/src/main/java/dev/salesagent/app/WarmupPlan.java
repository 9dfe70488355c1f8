package dev.salesagent.app;

import java.time.Duration;
import java.util.Locale;

/**
 * How long {@code serve} warms the JIT before it listens: a fixed time, or {@code auto} — until the JIT compiler has
 * settled, between a floor and a ceiling. "Settled" is read from the JVM's own compiler clock
 * ({@code CompilationMXBean}), so a fast laptop stops early and a busy two-core server keeps going while C2 still
 * compiles the request path.
 */
record WarmupPlan(Duration min, Duration max, boolean untilJitSettles) {
  /** Auto's floor: the first seconds always compile heavily (C1 first, then C2 behind it). */
  static final Duration AUTO_MIN = Duration.ofSeconds(6);
  /** Auto's ceiling: a readiness probe or a developer should not wait longer than this. */
  static final Duration AUTO_MAX = Duration.ofSeconds(40);

  static final WarmupPlan OFF = new WarmupPlan(Duration.ZERO, Duration.ZERO, false);
  static final WarmupPlan AUTO = new WarmupPlan(AUTO_MIN, AUTO_MAX, true);

  static WarmupPlan fixed(Duration d) { return new WarmupPlan(d, d, false); }

  boolean off() { return max.isZero(); }

  /**
   * Parses the option's text: {@code auto}, or whole seconds (0 = off).
   *
   * @throws IllegalArgumentException with a message that says what to write instead
   */
  static WarmupPlan parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("auto")) return AUTO;
    if (t.equals("off")) return OFF;
    try {
      long s = Long.parseLong(t);
      if (s < 0) throw new IllegalArgumentException("--warmup-seconds must be auto, off or 0 or more seconds, got " + text);
      return s == 0 ? OFF : fixed(Duration.ofSeconds(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--warmup-seconds must be auto, off or a whole number of seconds, got '" + text + "'");
    }
  }

  String describe() {
    if (off()) return "off";
    return untilJitSettles ? "until the JIT settles (" + min.toSeconds() + "-" + max.toSeconds() + " s)"
        : "for " + max.toSeconds() + " s";
  }
}
