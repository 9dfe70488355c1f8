package dev.salesagent.router.strategy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An ordered list of targets plus, for every target that was considered and left out, why. Built by
 * {@link Planner}; read by the router.
 */
public final class RoutePlan {

  /** A target left out of the plan, and why. */
  public record Skip(TargetRef target, String reason) {
    @Override
    public String toString() {
      return target + ": " + reason;
    }
  }

  private final String task;
  private final String strategy;
  final TargetRef[] targets;
  final double[] estimatedUsd;
  int size;
  private List<Skip> skipped;
  String note;
  /** Required capabilities that no candidate offers together; {@code null} when some candidate could serve. */
  java.util.Set<dev.salesagent.router.provider.Capability> unservable;

  RoutePlan(String task, String strategy, int capacity) {
    this.task = task;
    this.strategy = strategy;
    this.targets = new TargetRef[capacity];
    this.estimatedUsd = new double[capacity];
  }

  void add(TargetRef t, double usd) {
    targets[size] = t;
    estimatedUsd[size] = usd;
    size++;
  }

  void skip(TargetRef t, String reason) {
    if (skipped == null) skipped = new ArrayList<>(4);
    skipped.add(new Skip(t, reason));
  }

  public String task() { return task; }

  public String strategy() { return strategy; }

  public int size() { return size; }

  public boolean isEmpty() { return size == 0; }

  public TargetRef get(int i) {
    if (i >= size) throw new IndexOutOfBoundsException(i);
    return targets[i];
  }

  /** Estimated cost in USD of a call to the {@code i}-th target. */
  public double estimatedUsd(int i) {
    return estimatedUsd[i];
  }

  public List<TargetRef> targets() {
    List<TargetRef> l = new ArrayList<>(size);
    for (int i = 0; i < size; i++) l.add(targets[i]);
    return l;
  }

  public List<Skip> skipped() {
    return skipped == null ? List.of() : Collections.unmodifiableList(skipped);
  }

  /** A remark on the plan as a whole (a budget downgrade), or {@code null}. */
  public String note() { return note; }

  /**
   * When no candidate has every capability the request needs: those capabilities (the ones no candidate has at all,
   * or all required ones when each exists somewhere but never together). {@code null} otherwise. Such a request can
   * never be served by this route: a client error, not an outage.
   */
  public java.util.Set<dev.salesagent.router.provider.Capability> unservableCapabilities() { return unservable; }

  /** {@code "task plan for content: [a/b, c/d]; skipped: x/y (circuit open)"}. */
  public String explain() {
    StringBuilder sb = new StringBuilder(strategy).append(" plan for ").append(task).append(": [");
    for (int i = 0; i < size; i++) {
      if (i > 0) sb.append(", ");
      sb.append(targets[i]);
    }
    sb.append(']');
    if (skipped != null && !skipped.isEmpty()) {
      sb.append("; skipped: ");
      for (int i = 0; i < skipped.size(); i++) {
        if (i > 0) sb.append("; ");
        sb.append(skipped.get(i).target()).append(" (").append(skipped.get(i).reason()).append(')');
      }
    }
    if (note != null) sb.append("; ").append(note);
    return sb.toString();
  }

  @Override
  public String toString() {
    return explain();
  }
}
