package dev.salesagent.agent.memory;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.csv.ImportIssue;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.pipeline.LeadRepository;
import dev.salesagent.agent.pipeline.RunInfo;
import dev.salesagent.agent.pipeline.RunLedger;
import dev.salesagent.agent.pipeline.RunStore;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.pipeline.StepRecord;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.routing.UsageSink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Leads, runs, step results and a usage ledger in memory: for tests, the benchmark and throwaway demos. */
public final class InMemoryStore implements LeadRepository, RunStore, RunLedger, UsageSink {
  private final Map<String, Lead> leads = new ConcurrentHashMap<>();
  private final Map<String, Optional<String>> owners = new ConcurrentHashMap<>();
  private final Map<String, RunInfo> runs = new ConcurrentHashMap<>();
  private final Map<String, List<RunLead>> runLeads = new ConcurrentHashMap<>();
  private final Map<String, List<ImportIssue>> issues = new ConcurrentHashMap<>();
  private final Map<String, Map<String, StepRecord>> steps = new ConcurrentHashMap<>();
  private final List<UsageRecord> ledger = new CopyOnWriteArrayList<>();

  @Override public void upsert(String owner, List<Lead> ls) {
    for (Lead l : ls) {
      leads.put(l.id(), l);
      owners.putIfAbsent(l.id(), Optional.ofNullable(owner));
    }
  }
  @Override public Optional<Lead> find(String id) { return Optional.ofNullable(leads.get(id)); }
  @Override public Optional<Lead> find(Actor who, String id) { return find(id).filter(l -> visible(who, l)); }
  @Override public List<Lead> findAll(List<String> ids) { return ids.stream().map(leads::get).filter(java.util.Objects::nonNull).toList(); }
  @Override public List<Lead> list(Actor who, int offset, int limit) {
    return leads.values().stream().filter(l -> visible(who, l)).sorted(Comparator.comparing(Lead::email)).skip(offset).limit(limit).toList();
  }
  @Override public long count(Actor who) { return leads.values().stream().filter(l -> visible(who, l)).count(); }
  @Override public boolean delete(Actor who, String id) {
    if (find(who, id).isEmpty()) return false;
    owners.remove(id);
    return leads.remove(id) != null;
  }
  private boolean visible(Actor who, Lead l) { return who.sees(owners.getOrDefault(l.id(), Optional.empty()).orElse(null)); }

  @Override public void createRun(RunInfo run) { runs.put(run.id(), run); }
  @Override public Optional<RunInfo> findRun(String runId) { return Optional.ofNullable(runs.get(runId)); }
  @Override public Optional<RunInfo> latestRunFor(String outDir) {
    return runs.values().stream().filter(r -> r.outDir().equals(outDir)).max(Comparator.comparing(RunInfo::startedAt));
  }
  @Override public void updateRun(RunInfo run) { runs.put(run.id(), run); }
  @Override public List<RunInfo> runs(dev.salesagent.agent.access.Actor actor, int limit) {
    return runs.values().stream().filter(r -> actor.sees(r.actor().owner()))
        .sorted(Comparator.comparing(RunInfo::startedAt).thenComparing(RunInfo::id).reversed()).limit(limit).toList();
  }
  @Override public void addRunLeads(String runId, List<RunLead> ls) { runLeads.computeIfAbsent(runId, k -> new CopyOnWriteArrayList<>()).addAll(ls); }
  @Override public List<RunLead> runLeads(String runId) {
    List<RunLead> l = new ArrayList<>(runLeads.getOrDefault(runId, List.of()));
    l.sort(Comparator.comparingInt(RunLead::position));
    return l;
  }
  @Override public void addIssues(String runId, List<ImportIssue> is) { issues.computeIfAbsent(runId, k -> new CopyOnWriteArrayList<>()).addAll(is); }
  @Override public List<ImportIssue> issues(String runId) { return List.copyOf(issues.getOrDefault(runId, List.of())); }
  @Override public void saveStep(StepRecord r) { steps.computeIfAbsent(r.runId(), k -> new ConcurrentHashMap<>()).put(r.key(), r); }
  @Override public Map<String, StepRecord> steps(String runId) { return new LinkedHashMap<>(steps.getOrDefault(runId, Map.of())); }
  @Override public Optional<StepRecord> latestStep(String leadId, Step step) {
    return steps.values().stream().map(m -> m.get(StepRecord.key(leadId, step))).filter(java.util.Objects::nonNull)
        .filter(r -> r.status().finished()).max(Comparator.comparing(StepRecord::startedAt));
  }

  @Override public void record(UsageRecord r) { ledger.add(r); }
  @Override public List<UsageRecord> forRun(String runId) {
    return ledger.stream().filter(r -> r.requestId().startsWith(runId + ":")).toList();
  }
  public List<UsageRecord> ledger() { return List.copyOf(ledger); }
}
