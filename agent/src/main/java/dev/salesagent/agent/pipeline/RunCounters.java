package dev.salesagent.agent.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

/** What one pipeline has done so far, and whether it is stopping; shared by its workers. */
final class RunCounters {
  final AtomicInteger executed = new AtomicInteger();
  final AtomicInteger reused = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();
  final AtomicInteger leadsDone = new AtomicInteger();
  private volatile boolean stopping;
  private double cost;

  void stop() {
    stopping = true;
  }

  boolean stopping() {
    return stopping;
  }

  synchronized void addCost(double usd) {
    cost += usd;
  }

  synchronized double cost() {
    return cost;
  }
}
