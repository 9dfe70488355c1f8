package dev.salesagent.compat.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.compat.DraftConfig;
import dev.salesagent.compat.SourceTree;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LiteLLM's {@code router_settings}, {@code litellm_settings}, {@code general_settings} and
 * {@code environment_variables}: fallbacks of each kind onto the task chains, retries, timeouts, cooldowns and the
 * global budget onto ours, and a note with what to do for every key that has no equivalent.
 */
final class LiteLlmSettings {
  private static final Set<String> FALLBACK_KEYS = Set.of("fallbacks", "context_window_fallbacks",
      "content_policy_fallbacks", "default_fallbacks");
  private static final Set<String> ROUTER_KEYS = Set.of("routing_strategy", "num_retries", "timeout", "stream_timeout",
      "allowed_fails", "cooldown_time", "model_group_alias", "enable_pre_call_checks", "fallbacks",
      "context_window_fallbacks", "content_policy_fallbacks", "default_fallbacks");
  private static final Set<String> LITELLM_KEYS = Set.of("fallbacks", "context_window_fallbacks",
      "content_policy_fallbacks", "default_fallbacks", "num_retries", "request_timeout", "max_budget", "budget_duration",
      "drop_params");
  private static final Set<String> GENERAL_KEYS = Set.of("master_key");

  private LiteLlmSettings() {}

  static void apply(DraftConfig d, JsonNode root, Set<String> groups) {
    JsonNode rs = root.path("router_settings");
    JsonNode ls = root.path("litellm_settings");
    JsonNode gs = root.path("general_settings");
    for (JsonNode section : new JsonNode[] {rs, ls}) {
      String name = section == rs ? "router_settings" : "litellm_settings";
      fallbacks(d, name + ".fallbacks", section.get("fallbacks"));
      fallbacks(d, name + ".context_window_fallbacks", section.get("context_window_fallbacks"));
      defaultFallbacks(d, name + ".default_fallbacks", section.get("default_fallbacks"), groups);
      if (section.has("content_policy_fallbacks")) {
        d.note(name + ".content_policy_fallbacks", "not imported: a content-policy refusal is final here (content_filtered is"
            + " never fallen back, so the caller gets the provider's reason); to try another model, catch content_filtered"
            + " in the client and resend with that model");
      }
    }
    if (rs.has("context_window_fallbacks") || ls.has("context_window_fallbacks")) {
      d.note("context_window_fallbacks", "appended to the chain: after context_length_exceeded only larger-context targets"
          + " are tried, as in LiteLLM, but these targets also serve as ordinary fallbacks for other failures");
    }
    retriesAndTimeouts(d, rs, ls);
    aliases(d, rs.get("model_group_alias"));
    routingStrategy(d, rs, groups);
    if (rs.has("enable_pre_call_checks")) {
      d.note("router_settings.enable_pre_call_checks", "built in: plans always skip targets whose context window is too small");
    }
    budget(d, ls);
    if (ls.has("drop_params")) {
      d.note("litellm_settings.drop_params", "built in: request fields a provider does not take are never sent to it");
    }
    master(d, gs.get("master_key"));
    for (String k : SourceTree.unknownKeys(rs, ROUTER_KEYS)) {
      d.note("router_settings." + k, k.startsWith("redis") || k.startsWith("cache")
          ? "not imported: no Redis here; budgets and key spend are kept in the gateway's database (SALES_AGENT_DB_URL)"
          : "not imported: no equivalent");
    }
    for (String k : SourceTree.unknownKeys(ls, LITELLM_KEYS)) {
      d.note("litellm_settings." + k, unknownLitellmSetting(k));
    }
    for (String k : SourceTree.unknownKeys(gs, GENERAL_KEYS)) {
      d.note("general_settings." + k, k.equals("database_url")
          ? "not imported: our own database is SALES_AGENT_DB_URL (LiteLLM's keys and spend logs are not migrated; create keys"
            + " with `sales-agent keys create`)"
          : "not imported: no equivalent server setting");
    }
    JsonNode envs = root.get("environment_variables");
    if (envs != null && envs.isObject() && envs.size() > 0) {
      List<String> names = new ArrayList<>();
      envs.fieldNames().forEachRemaining(names::add);
      d.note("environment_variables", "values not copied: export " + String.join(", ", names) + " where the gateway runs");
    }
  }

  private static String unknownLitellmSetting(String k) {
    if (k.contains("callback")) {
      return "not imported: use GET /metrics (Prometheus) and the OTEL_* variables for tracing instead of callbacks";
    }
    if (k.equals("cache") || k.equals("cache_params")) return "not imported: this gateway has no response cache";
    return "not imported: no equivalent";
  }

  /** {@code [{group: [fallback, …]}, …]}: each group's chain gets its fallback groups' deployments, in order. */
  private static void fallbacks(DraftConfig d, String where, JsonNode list) {
    if (list == null || list.isNull()) return;
    if (!list.isArray()) {
      d.note(where, "not imported: expected a list of {model_name: [fallback model_names]}");
      return;
    }
    for (JsonNode m : list) {
      if (!m.isObject()) {
        d.note(where, "not imported: entry " + m + " is not {model_name: [fallbacks]}");
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String task = task(f.getKey());
        if (!d.hasTask(task)) {
          d.note(where, "not imported: " + f.getKey() + " is not a model_name of model_list");
          continue;
        }
        List<String> chain = new ArrayList<>(d.chain(task));
        for (JsonNode fb : f.getValue().isArray() ? f.getValue() : List.of(f.getValue())) {
          String to = task(fb.asText());
          if (!d.hasTask(to)) {
            d.note(where, "fallback " + fb.asText() + " of " + f.getKey() + " not imported: not a model_name of model_list");
            continue;
          }
          chain.addAll(d.chain(to));
        }
        d.task(task, chain);
      }
    }
  }

  private static void defaultFallbacks(DraftConfig d, String where, JsonNode list, Set<String> groups) {
    if (list == null || !list.isArray()) return;
    for (String g : groups) {
      String task = task(g);
      List<String> chain = new ArrayList<>(d.chain(task));
      for (JsonNode fb : list) {
        String to = task(fb.asText());
        if (d.hasTask(to) && !to.equals(task)) chain.addAll(d.chain(to));
      }
      d.task(task, chain);
    }
    for (JsonNode fb : list) {
      if (!d.hasTask(task(fb.asText()))) d.note(where, "fallback " + fb.asText() + " not imported: not a model_name of model_list");
    }
  }

  private static String task(String group) {
    return group.equals("auto") ? "auto-litellm" : group;
  }

  private static void retriesAndTimeouts(DraftConfig d, JsonNode rs, JsonNode ls) {
    Double retries = SourceTree.number(rs.has("num_retries") ? rs.get("num_retries") : ls.get("num_retries"));
    if (retries != null) {
      d.maxRetries = (int) Math.max(0, Math.min(20, Math.round(retries)));
      d.note("num_retries", "mapped to resilience.max_retries " + d.maxRetries + ": retries here are per target and only for"
          + " retryable failures (rate limits, overload, 5xx, cut streams), then the chain falls back");
    }
    Long total = SourceTree.secondsAsMs(rs.get("timeout"));
    if (total == null) total = SourceTree.secondsAsMs(ls.get("request_timeout"));
    if (total != null) d.totalMs = Math.min(total, 86_400_000L);
    Long first = SourceTree.secondsAsMs(rs.get("stream_timeout"));
    if (first != null) d.firstTokenMs = Math.min(first, 86_400_000L);
    if (rs.has("timeout") && ls.has("request_timeout")) {
      d.note("litellm_settings.request_timeout", "router_settings.timeout wins (one deadline per request here: total_ms)");
    }
    Double allowed = SourceTree.number(rs.get("allowed_fails"));
    if (allowed != null && allowed >= 1) {
      d.circuitMinimumCalls = (int) Math.min(10_000, Math.round(allowed));
      d.note("router_settings.allowed_fails", "mapped to circuit_breaker.minimum_calls " + d.circuitMinimumCalls
          + ": a target's circuit opens once that many calls were seen and failure_rate_percent (50) of them failed,"
          + " not after N failures in a minute");
    }
    Long cooldown = SourceTree.secondsAsMs(rs.get("cooldown_time"));
    if (cooldown != null) d.circuitOpenMs = Math.min(cooldown, 86_400_000L);
  }

  /** {@code model_group_alias: {alias: group}}: the alias becomes a task with the group's chain. */
  private static void aliases(DraftConfig d, JsonNode aliases) {
    if (aliases == null || !aliases.isObject()) return;
    for (Iterator<Map.Entry<String, JsonNode>> it = aliases.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> a = it.next();
      JsonNode to = a.getValue().isObject() ? a.getValue().get("model") : a.getValue();
      String group = to == null ? null : task(to.asText());
      if (group == null || !d.hasTask(group)) {
        d.note("router_settings.model_group_alias." + a.getKey(), "not imported: " + to + " is not a model_name of model_list");
      } else if (d.hasTask(a.getKey())) {
        d.note("router_settings.model_group_alias." + a.getKey(), "not imported: a model_name of that name exists already");
      } else {
        d.task(a.getKey(), d.chain(group));
      }
    }
  }

  private static void routingStrategy(DraftConfig d, JsonNode rs, Set<String> groups) {
    boolean several = groups.stream().anyMatch(g -> d.chain(task(g)).size() > 1);
    String strategy = SourceTree.text(rs.get("routing_strategy"));
    if (strategy == null && !several) return;
    d.note("router_settings.routing_strategy" + (strategy == null ? " (simple-shuffle, LiteLLM's default)" : " " + strategy),
        "a model_name's deployments are tried in order here: the first healthy one serves and the next takes over on"
            + " failure (no shuffle or least-busy spreading); the per-request strategies cost and latency choose among all"
            + " configured targets, so they are not set globally by this import");
  }

  /** {@code max_budget} with {@code budget_duration}: a daily or monthly global budget. */
  private static void budget(DraftConfig d, JsonNode ls) {
    Double max = SourceTree.number(ls.get("max_budget"));
    String duration = SourceTree.text(ls.get("budget_duration"));
    if (max == null) {
      d.note("budgets", "LiteLLM had no global max_budget; the built-in budgets apply ($50 a day, $1000 a month): raise"
          + " them under budgets: if that is too low");
      return;
    }
    String dur = duration == null ? "" : duration.trim().toLowerCase(java.util.Locale.ROOT);
    if (dur.equals("1d") || dur.equals("24h") || dur.equals("86400s")) {
      d.dailyUsd = max;
    } else if (dur.equals("30d") || dur.equals("1mo") || dur.equals("31d")) {
      d.monthlyUsd = max;
      if (!dur.equals("1mo")) d.note("litellm_settings.budget_duration", dur + " mapped to a calendar month (UTC)");
    } else {
      d.monthlyUsd = max;
      d.note("litellm_settings.max_budget", "budgets reset daily or monthly here; budget_duration '" + (duration == null ? "none" : duration)
          + "' became a monthly budget of " + max + " USD (set daily_usd for a daily one)");
    }
  }

  private static void master(DraftConfig d, JsonNode key) {
    String k = SourceTree.text(key);
    if (k == null) return;
    if (k.startsWith("os.environ/")) {
      String var = k.substring("os.environ/".length());
      d.note("general_settings.master_key", "not copied: start the gateway with SALES_AGENT_ADMIN_KEY=\"$" + var + "\" (an admin"
          + " key), then create client keys with `sales-agent keys create`");
    } else {
      d.note("general_settings.master_key", "written in the file and not copied: set SALES_AGENT_ADMIN_KEY to it where the"
          + " gateway runs, then create client keys with `sales-agent keys create`");
    }
  }
}
