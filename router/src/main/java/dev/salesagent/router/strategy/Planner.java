package dev.salesagent.router.strategy;

import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.config.RouterConfig.BudgetPolicy;
import dev.salesagent.router.config.RouterConfig.ProviderConfig;
import dev.salesagent.router.config.RouterConfig.TaskConfig;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.routing.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link PlanInput} and a {@link StateView} into a {@link RoutePlan}: the strategy's candidates, minus every
 * target that is unconfigured, down, behind an open circuit, lacking a required capability, too small for the
 * context, over the request's cost cap or unaffordable for the budget — each with its reason — ordered by the
 * strategy's score. Pure and allocation-light: arrays sized to the candidates, no lookups by name, strings built
 * only for skipped targets.
 */
public final class Planner {
  private final RouterConfig config;
  private final TargetRef[] all;
  private final Map<String, TargetRef[]> chains;
  private final Map<String, Strategy> strategies;
  private final Map<Target, TargetRef> byTarget;
  private final Map<String, List<TargetRef>> byModelId;

  public Planner(RouterConfig config) {
    this.config = config;
    List<TargetRef> refs = new ArrayList<>();
    int pi = 0;
    for (ProviderConfig p : config.providers().values()) {
      for (String m : p.modelOrder()) refs.add(new TargetRef(refs.size(), pi, new Target(p.name(), m), p.settings().model(m), p));
      pi++;
    }
    this.all = refs.toArray(new TargetRef[0]);
    Map<Target, TargetRef> bt = new HashMap<>();
    Map<String, List<TargetRef>> bm = new LinkedHashMap<>();
    for (TargetRef r : all) {
      bt.put(r.target(), r);
      bm.computeIfAbsent(r.model(), k -> new ArrayList<>()).add(r);
    }
    this.byTarget = bt;
    this.byModelId = bm;
    Map<String, TargetRef[]> ch = new HashMap<>();
    for (TaskConfig t : config.tasks().values()) {
      TargetRef[] arr = new TargetRef[t.chain().size()];
      for (int i = 0; i < arr.length; i++) arr[i] = bt.get(t.chain().get(i));
      ch.put(t.name(), arr);
    }
    this.chains = ch;
    this.strategies = Map.of(
        "task", new TaskStrategy(ch),
        "cost", new CostStrategy(all),
        "latency", new LatencyStrategy(all));
  }

  public RouterConfig config() { return config; }

  /** Every target in configuration order (index = {@link TargetRef#index()}). */
  public TargetRef[] allTargets() { return all.clone(); }

  public int targetCount() { return all.length; }

  public TargetRef ref(Target t) { return byTarget.get(t); }

  public TargetRef[] chain(String task) { return chains.get(task); }

  public boolean hasTask(String task) { return chains.containsKey(task); }

  /**
   * Resolves what a caller pinned: a provider (its default model, or {@code model}), {@code provider/model}, or a bare
   * model id (every provider offering it, in configuration order). Returns {@code null} when nothing is pinned.
   * Unknown names fail with {@code invalid_request} saying what exists.
   */
  public TargetRef[] resolvePinned(String provider, String model) {
    boolean hasModel = model != null && !model.isBlank() && !"auto".equals(model) && !model.startsWith("task:");
    if (provider == null || provider.isBlank()) {
      if (!hasModel) return null;
      int slash = model.indexOf('/');
      if (slash > 0 && config.providers().containsKey(model.substring(0, slash))) {
        return resolvePinned(model.substring(0, slash), model.substring(slash + 1));
      }
      List<TargetRef> l = byModelId.get(model);
      if (l == null) {
        throw LlmException.builder(ErrorKind.INVALID_REQUEST, "unknown model '" + model + "': write a configured model id ("
            + String.join(", ", byModelId.keySet()) + "), <provider>/<model>, task:<task> or auto").build();
      }
      return l.toArray(new TargetRef[0]);
    }
    ProviderConfig p = config.providers().get(provider);
    if (p == null) {
      throw LlmException.builder(ErrorKind.INVALID_REQUEST, "unknown provider '" + provider + "' (configured: "
          + String.join(", ", config.providers().keySet()) + ")").build();
    }
    String m = model;
    if (hasModel && m.startsWith(provider + "/")) m = m.substring(provider.length() + 1);
    if (!hasModel) m = p.defaultModel();
    TargetRef r = byTarget.get(new Target(provider, m));
    if (r == null) {
      throw LlmException.builder(ErrorKind.INVALID_REQUEST, "provider '" + provider + "' has no model '" + m + "' (its models: "
          + String.join(", ", p.modelOrder()) + ")").provider(provider).build();
    }
    return new TargetRef[] {r};
  }

  public RoutePlan plan(PlanInput in, StateView state) {
    return plan(in, state, System.nanoTime());
  }

  public RoutePlan plan(PlanInput in, StateView state, long nowNanos) {
    Strategy s = strategies.get(in.strategy() == null ? config.defaultStrategy() : in.strategy());
    if (s == null) {
      throw LlmException.builder(ErrorKind.INVALID_REQUEST, "unknown strategy '" + in.strategy() + "': write task, cost or latency").build();
    }
    boolean pinned = in.pinned() != null;
    TargetRef[] cands = pinned ? in.pinned() : s.candidates(in);
    RoutePlan p = new RoutePlan(in.task(), pinned ? "pinned" : s.name(), cands.length);
    long[] keys = new long[cands.length];
    boolean sorted = true;
    for (int i = 0; i < cands.length; i++) {
      TargetRef t = cands[i];
      String why = state.unusableReason(t, nowNanos);
      if (why != null) { p.skip(t, why); continue; }
      if (t.has(Capability.EMBEDDING) && !in.requiredCapabilities().contains(Capability.EMBEDDING)) {
        p.skip(t, "an embedding model does not chat");
        continue;
      }
      if (!in.requiredCapabilities().isEmpty()) {
        Capability missing = null;
        for (Capability c : in.requiredCapabilities()) if (!t.has(c)) { missing = c; break; }
        if (missing != null) { p.skip(t, "lacks capability " + missing.wire()); continue; }
      }
      if (t.spec().contextWindow() < in.minContextTokens()) {
        p.skip(t, "context window " + t.spec().contextWindow() + " < " + in.minContextTokens() + " tokens needed");
        continue;
      }
      double est = t.estimateUsd(in.estimatedInputTokens(), in.expectedOutputTokens());
      if (in.maxCostUsd() != null && est > in.maxCostUsd()) {
        p.skip(t, "estimated " + usd(est) + " exceeds the request's max cost " + usd(in.maxCostUsd()));
        continue;
      }
      double sc = pinned ? i : s.score(t, i, in, state);
      int n = p.size;
      // sort key: the score as a float (monotonic bits for non-negative values) above the insertion index, so one
      // primitive sort orders by score and keeps candidate order among equal scores
      float f = (float) Math.max(0, sc);
      keys[n] = ((long) Float.floatToIntBits(f) << 32) | n;
      if (n > 0 && keys[n] < keys[n - 1]) sorted = false;
      p.targets[n] = t;
      p.estimatedUsd[n] = est;
      p.size++;
    }
    if (!sorted) {
      int n = p.size;
      java.util.Arrays.sort(keys, 0, n);
      TargetRef[] t0 = java.util.Arrays.copyOf(p.targets, n);
      double[] e0 = java.util.Arrays.copyOf(p.estimatedUsd, n);
      for (int k = 0; k < n; k++) {
        int from = (int) keys[k];
        p.targets[k] = t0[from];
        p.estimatedUsd[k] = e0[from];
      }
    }
    double remaining = state.remainingBudgetUsd(in.apiKeyId());
    if (p.size > 0 && remaining != Double.POSITIVE_INFINITY) applyBudget(p, remaining);
    return p;
  }

  private void applyBudget(RoutePlan p, double remaining) {
    BudgetPolicy policy = config.budgets().policy();
    boolean firstUnaffordable = p.estimatedUsd[0] > remaining;
    if (policy == BudgetPolicy.REFUSE && firstUnaffordable) {
      // keep the first choice: its reservation refuses with the exact budget and amount left
      return;
    }
    int w = 0;
    TargetRef first = p.targets[0];
    for (int r = 0; r < p.size; r++) {
      if (p.estimatedUsd[r] > remaining) {
        p.skip(p.targets[r], "budget cannot afford it: estimated " + usd(p.estimatedUsd[r]) + " > " + usd(remaining) + " left");
      } else {
        p.targets[w] = p.targets[r];
        p.estimatedUsd[w] = p.estimatedUsd[r];
        w++;
      }
    }
    for (int k = w; k < p.size; k++) p.targets[k] = null;
    p.size = w;
    if (policy == BudgetPolicy.DOWNGRADE && firstUnaffordable && w > 0) {
      for (int i = 1; i < w; i++) {
        TargetRef t = p.targets[i];
        double e = p.estimatedUsd[i];
        int j = i;
        while (j > 0 && p.estimatedUsd[j - 1] > e) {
          p.targets[j] = p.targets[j - 1];
          p.estimatedUsd[j] = p.estimatedUsd[j - 1];
          j--;
        }
        p.targets[j] = t;
        p.estimatedUsd[j] = e;
      }
      p.note = "budget downgrade: " + first + " does not fit the " + usd(remaining) + " left, cheapest suitable is " + p.targets[0];
    }
  }

  static String usd(double d) {
    return String.format(Locale.ROOT, "$%.6f", d);
  }
}
