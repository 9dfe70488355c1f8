package dev.salesagent.router.budget;

import java.util.List;

/** Where the budgets stand. {@code scopes} lists the global scope first, then the key's when one was asked for. */
public record BudgetSnapshot(List<Scope> scopes) {

  public BudgetSnapshot {
    scopes = List.copyOf(scopes);
  }

  /**
   * One scope's period.
   *
   * @param scope     {@code global} or {@code key:<id>}
   * @param period    {@code daily} or {@code monthly}
   * @param periodKey {@code 2026-11-24} or {@code 2026-11}
   * @param limitUsd  {@code null} = unlimited
   * @param remainingUsd {@code null} = unlimited; else limit - spent - reserved, never negative
   */
  public record Scope(String scope, String period, String periodKey, Double limitUsd, double spentUsd, double reservedUsd,
                      Double remainingUsd) {}

  /** The smallest remaining amount over every limited period, or {@code null} when nothing is limited. */
  public Double minRemainingUsd() {
    Double min = null;
    for (Scope s : scopes) {
      if (s.remainingUsd() != null && (min == null || s.remainingUsd() < min)) min = s.remainingUsd();
    }
    return min;
  }
}
