package dev.salesagent.router.budget;

/**
 * Budget amounts in whole nano-dollars (10⁻⁹ USD, the database's {@code DECIMAL(18, 9)} scale). Counters add and
 * subtract exactly in this unit, so a reservation released leaves nothing behind (no float residue to clamp), ten
 * reservations of $0.1 fill a $1 limit exactly, and an external store can add them atomically as integers.
 */
public final class UsdNanos {
  /** No limit. */
  public static final long NONE = Long.MAX_VALUE;
  /** The largest amount one reservation or charge counts: $1 billion (so sums of a few never overflow). */
  public static final long MAX = 1_000_000_000_000_000_000L;

  private UsdNanos() {}

  /**
   * A reservation's amount, rounded up: a positive amount, however small, reserves at least one nano-dollar. The
   * product's float noise ({@code 0.3 * 1e9 = 300000000.00000006}) does not round up.
   */
  public static long reserve(double usd) {
    double x = usd * 1e9;
    if (x >= MAX) return MAX;
    long r = Math.round(x);
    return x - r > 1e-3 ? r + 1 : r;
  }

  /** A charge or a limit, to the nearest nano-dollar (as the database rounds it). */
  public static long nearest(double usd) {
    double x = usd * 1e9;
    return x >= MAX ? MAX : Math.round(x);
  }

  /** A configured limit: {@code null} or infinite = {@link #NONE}. */
  public static long limit(Double usd) {
    return usd == null || usd.isInfinite() ? NONE : nearest(usd);
  }

  public static double usd(long nanos) {
    return nanos / 1e9;
  }
}
