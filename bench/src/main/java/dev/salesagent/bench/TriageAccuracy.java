package dev.salesagent.bench;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.qualify.OptOutDetector;
import dev.salesagent.agent.reply.FreeRules;
import dev.salesagent.agent.reply.InboundReply;
import dev.salesagent.agent.reply.MimeReplies;
import dev.salesagent.agent.reply.ReplyCategory;
import dev.salesagent.agent.reply.Triage;
import dev.salesagent.agent.reply.TriageUseCase;
import dev.salesagent.agent.schema.StructuredCaller;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.routing.UsageRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Triage accuracy on a labelled mailbox (a benchmark command, not a test: the number depends on the model). Reads
 * {@code labels.tsv} (file, expected category) in the mailbox directory, triages every reply — free rules first, then
 * the router's {@code triage} task — and prints accuracy overall, of the free rules on what they decided, and of the
 * model on the rest, recall per category, the misses, model calls and cost.
 *
 * <p>{@code --mailbox DIR} (default {@code agent/src/test/resources/replies}); {@code --real} uses the configured
 * providers ({@code SALES_AGENT_CONFIG}, the provider variables) instead of the in-process emulators, whose category
 * is a deterministic but arbitrary enum value (they read no meaning), so with them only the rules' number means much.
 */
public final class TriageAccuracy {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of("agent/src/test/resources/replies");
    boolean real = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mailbox" -> dir = Path.of(args[++i]);
        case "--real" -> real = true;
        default -> throw new IllegalArgumentException("unknown flag " + args[i] + " (--mailbox DIR, --real)");
      }
    }
    Vertx vertx = Vertx.vertx();
    Emulator emulator = null;
    List<UsageRecord> usage = new CopyOnWriteArrayList<>();
    Map<String, String> env = System.getenv();
    if (!real) {
      emulator = Emulator.start(vertx, EmulatorOptions.defaults()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      env = Map.of("ANTHROPIC_API_KEY", "k", "CEREBRAS_API_KEY", "k", "DEEPSEEK_API_KEY", "k",
          "ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl(), "CEREBRAS_BASE_URL", emulator.openAiRootUrl(),
          "DEEPSEEK_BASE_URL", emulator.openAiBaseUrl(), "OLLAMA_HOST", emulator.ollamaBaseUrl());
    }
    RouterRuntime runtime = RouterRuntime.create(vertx, ConfigLoader.load(real ? env.get("SALES_AGENT_CONFIG") == null ? null
        : Path.of(env.get("SALES_AGENT_CONFIG")) : null, env), new SimpleMeterRegistry(), usage::add, null);
    FreeRules rules = new FreeRules(OptOutDetector.bundled());
    TriageUseCase triage = new TriageUseCase(rules, new StructuredCaller(runtime.router()));
    int total = 0, right = 0, ruled = 0, ruledRight = 0, modelled = 0, modelRight = 0, failed = 0;
    Map<ReplyCategory, int[]> recall = new EnumMap<>(ReplyCategory.class);
    StringBuilder misses = new StringBuilder();
    for (String line : Files.readAllLines(dir.resolve("labels.tsv"))) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] p = line.split("\t");
      ReplyCategory expected = ReplyCategory.fromWire(p[1]);
      InboundReply r = MimeReplies.parse(Files.readAllBytes(dir.resolve(p[0])));
      total++;
      Triage t;
      try {
        t = triage.triage(r, "bench-triage:" + p[0], Actor.operator()).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      } catch (Exception e) {
        failed++;
        misses.append(String.format(Locale.ROOT, "  %-28s expected %-13s FAILED %s%n", p[0], expected.wire(), e.getMessage()));
        recall.computeIfAbsent(expected, k -> new int[2])[1]++;
        continue;
      }
      boolean ok = t.category() == expected;
      int[] rc = recall.computeIfAbsent(expected, k -> new int[2]);
      rc[1]++;
      if (ok) { right++; rc[0]++; }
      if (t.decidedBy().equals("rules")) { ruled++; if (ok) ruledRight++; } else { modelled++; if (ok) modelRight++; }
      if (!ok) misses.append(String.format(Locale.ROOT, "  %-28s expected %-13s got %-13s by %s  \"%s\"%n", p[0], expected.wire(),
          t.category().wire(), t.rule() != null ? "rule " + t.rule() : t.provider(), t.evidence()));
    }
    double cost = usage.stream().mapToDouble(UsageRecord::costUsd).sum();
    System.out.printf(Locale.ROOT, "triage accuracy on %s (%s)%n", dir, real ? "configured providers" : "emulators: model categories are arbitrary");
    System.out.printf(Locale.ROOT, "overall      %d/%d = %.1f %%  (%d failed)%n", right, total, pct(right, total), failed);
    System.out.printf(Locale.ROOT, "free rules   %d/%d = %.1f %%  of the replies they decided (%d of %d, no model call)%n",
        ruledRight, ruled, pct(ruledRight, ruled), ruled, total);
    System.out.printf(Locale.ROOT, "model        %d/%d = %.1f %%%n", modelRight, modelled, pct(modelRight, modelled));
    for (var e : recall.entrySet()) {
      System.out.printf(Locale.ROOT, "  recall %-13s %d/%d%n", e.getKey().wire(), e.getValue()[0], e.getValue()[1]);
    }
    System.out.printf(Locale.ROOT, "model attempts %d, cost $%.6f%n", usage.size(), cost);
    if (misses.length() > 0) System.out.print("misses:\n" + misses);
    runtime.close();
    if (emulator != null) emulator.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close();
  }

  private static double pct(int a, int b) {
    return b == 0 ? 0 : 100.0 * a / b;
  }
}
