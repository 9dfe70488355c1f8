package dev.salesagent.agent.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.agent.schema.AgentJson;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run has done so far, from its step records: per step how many leads are done, failed, skipped or running;
 * the qualified leads per tier; the cost per task and per provider; and every failure with its reason. The console's
 * Runs view and {@code GET /v1/runs/{id}} show it; it is computed on read, so a run in progress is shown as it is.
 *
 * @param leads    the run's leads (after import merging)
 * @param byStep   step → status ({@code done|failed|skipped|running}) → count
 * @param tiers    tier → qualified leads
 * @param costByTask task (the router task the step runs as) → USD
 * @param costByProvider provider → USD (steps without a provider, such as a rule's disqualification, cost nothing)
 */
public record RunSummary(RunInfo run, int leads, Map<Step, Map<String, Integer>> byStep, Map<String, Integer> tiers,
                         Map<String, Double> costByTask, Map<String, Double> costByProvider, double costUsd,
                         List<Failure> failures) {

  /** A failed step: the lead, the step and the recorded error ({@code <kind>: <message>}). */
  public record Failure(String leadId, Step step, String error) {}

  /** The router task a step runs as (docs/SALES-PIPELINE.md). */
  public static String task(Step s) {
    return switch (s) {
      case QUALIFY -> "qualification";
      case RESEARCH -> "research";
      case OUTREACH -> "content";
      case PARSE -> "parsing";
    };
  }

  public static RunSummary of(RunInfo run, int leads, Iterable<StepRecord> records) {
    Map<Step, Map<String, Integer>> byStep = new EnumMap<>(Step.class);
    Map<String, Integer> tiers = new TreeMap<>();
    Map<String, Double> byTask = new TreeMap<>();
    Map<String, Double> byProvider = new TreeMap<>();
    List<Failure> failures = new ArrayList<>();
    double total = 0;
    for (StepRecord r : records) {
      byStep.computeIfAbsent(r.step(), k -> new TreeMap<>()).merge(r.status().wire(), 1, Integer::sum);
      total += r.costUsd();
      byTask.merge(task(r.step()), r.costUsd(), Double::sum);
      if (r.provider() != null) byProvider.merge(r.provider(), r.costUsd(), Double::sum);
      if (r.status() == StepStatus.FAILED) failures.add(new Failure(r.leadId(), r.step(), r.error()));
      if (r.step() == Step.QUALIFY && r.status() == StepStatus.DONE && r.resultJson() != null) {
        String tier = tierOf(r.resultJson());
        if (tier != null) tiers.merge(tier, 1, Integer::sum);
      }
    }
    failures.sort(java.util.Comparator.comparing(Failure::leadId).thenComparing(Failure::step));
    return new RunSummary(run, leads, byStep, tiers, byTask, byProvider, total, failures);
  }

  private static String tierOf(String resultJson) {
    try {
      JsonNode t = AgentJson.MAPPER.readTree(resultJson).get("tier");
      return t == null || !t.isTextual() ? null : t.asText();
    } catch (Exception e) {
      return null; // an unreadable result is counted nowhere rather than failing the whole summary
    }
  }
}
