package dev.salesagent.router.budget;

/**
 * One replica's lease on one shared budget counter, as this process keeps it: the slice of the counter's budget Redis
 * holds for this replica ({@code lease}: the replica's field in the counter's lease hash, also counted in the
 * counter's reserved total), what in-flight reservations taken under it hold, and the spend settled since the last
 * flush. A reservation fits when {@code lease - held - consumed} has room for it: that is what keeps every replica
 * together within the limit, since Redis granted each lease only out of {@code limit - spent - reserved}.
 *
 * <p>Every method is a short synchronized section on this counter only (a claim touches up to four counters, one at a
 * time, never two locks at once). {@link #retire} ends the lease's life in this process (its generation was lost, or
 * it was dropped as idle): later calls on it fail, so callers take the lease of the current generation instead.
 */
final class CounterLease {
  /** The counter's hash, its lease hash and its expiry (unix s), as the scripts take them. */
  final String counterKey;
  final String leaseKey;
  final String expiry;
  final boolean limited;

  private long lease;
  private long held;
  /** Settled spend still to be taken from {@code lease} by the next flush (limited counters). */
  private long consumed;
  /** Settled spend still to be added to the counter's spent total by the next flush. */
  private long pending;
  /** When the latest spend in {@code pending} was settled (ms), for a restore's "was it counted" rule. */
  private long lastSettleMs;
  /** The last grant was the claim alone (the counter is near its limit): settlements give back at once. */
  private boolean tight;
  private long lastTick;
  private boolean retired;
  /** The limit of the counter when Redis last granted on it. */
  private long grantedUnder;
  /** Grant scripts in flight for this counter from this replica. */
  private int granting;

  CounterLease(String counterKey, String leaseKey, String expiry, boolean limited) {
    this.counterKey = counterKey;
    this.leaseKey = leaseKey;
    this.expiry = expiry;
    this.limited = limited;
  }

  /**
   * Takes {@code n} from the unused part of the lease; false when it does not fit, when the lease is retired, or when
   * the counter's {@code limit} is now lower than the one the lease was granted under (a lowered budget applies at
   * once: the claim goes to Redis, which gives back the unused part and decides under the new limit).
   */
  synchronized boolean tryTake(long n, long limit, long tick) {
    if (retired || limit < grantedUnder || lease - held - consumed < n) return false;
    held += n;
    lastTick = tick;
    return true;
  }

  /** Undoes a {@link #tryTake} (another line of the same claim did not fit). */
  synchronized void untake(long n) {
    held -= n;
  }

  static final int RETIRED = 0;
  static final int SETTLED = 1;
  static final int SETTLED_TIGHT = 2;

  /**
   * Settles a reservation taken under this lease: {@code n} leaves the held part, {@code spent} is consumed from the
   * lease and added to the spent total by the next flush. {@link #RETIRED} when the lease was retired meanwhile (the
   * caller settles it as its generation's loss says); {@link #SETTLED_TIGHT} when the lease is to be flushed at once.
   */
  synchronized int settle(long n, long spent, long nowMs) {
    if (retired) return RETIRED;
    held -= n;
    consumed += spent;
    pending += spent;
    lastSettleMs = nowMs;
    return tight ? SETTLED_TIGHT : SETTLED;
  }

  /** Spend that no lease of this generation covers (an unlimited counter, a lost lease): only added to spent. */
  synchronized boolean addSpend(long spent, long nowMs) {
    if (retired) return false;
    pending += spent;
    lastSettleMs = nowMs;
    return true;
  }

  /**
   * What the next script is to do for this counter, taken out of the local state at once (so that concurrent claims
   * see the lease as it will be): {@code [add to spent, consumed taken from the lease, unused part given back]}.
   * The unused part is given back when {@code giveBack} says so, or when the lease has been idle for {@code idleTicks}.
   * Null when there is nothing to do.
   */
  synchronized long[] drain(boolean giveBack, long tick, long idleTicks) {
    if (retired) return null;
    long dec = Math.min(consumed, lease);
    long add = pending;
    lease -= dec;
    consumed = 0;
    pending = 0;
    long give = 0;
    if (giveBack || tight || tick - lastTick >= idleTicks) {
      give = Math.max(0, lease - held);
      lease -= give;
    }
    if (add == 0 && dec == 0 && give == 0) return null;
    return new long[] {add, dec, give};
  }

  /**
   * Puts back what {@link #drain} took when the script did not run (Redis refused it before changing anything); false
   * when the lease was retired meanwhile (the caller carries the spend on as its generation's loss says).
   */
  synchronized boolean undrain(long[] d) {
    if (retired) return false;
    pending += d[0];
    consumed += d[1];
    lease += d[1] + d[2];
    return true;
  }

  /**
   * A grant script for this counter goes out: true when it is the only one in flight. Claims that miss while one is
   * in flight ask for themselves alone, so that a burst of misses (a replica starting under load) does not lease a
   * slice per claim.
   */
  synchronized boolean beginGrant() {
    return granting++ == 0;
  }

  synchronized void endGrant() {
    granting--;
  }

  /**
   * Redis granted {@code grant} (at least the claim's {@code n}, which is taken under it at once); {@code nearLimit}:
   * the counter's room is under 64 claims, so settlements give back at once.
   */
  synchronized void granted(long grant, long n, long tick, boolean nearLimit, long limit) {
    grantedUnder = limit;
    lease += grant;
    held += n;
    tight = nearLimit;
    lastTick = tick;
  }

  /** Nothing held, nothing pending, idle: may be dropped from the generation (retired, so no one takes on it). */
  synchronized boolean retireIfEmpty(long tick, long idleTicks) {
    if (lease != 0 || held != 0 || pending != 0 || consumed != 0 || tick - lastTick < idleTicks) return false;
    retired = true;
    return true;
  }

  /**
   * Ends this lease's life (its generation was lost): returns {@code [pending, lastSettleMs]}, the spend settled here
   * that no flush has carried to Redis, for the caller to carry over or drop.
   */
  synchronized long[] retire() {
    retired = true;
    long[] out = {pending, lastSettleMs};
    pending = 0;
    consumed = 0;
    return out;
  }
}
