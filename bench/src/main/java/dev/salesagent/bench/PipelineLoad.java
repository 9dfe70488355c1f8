package dev.salesagent.bench;

import dev.salesagent.agent.memory.InMemoryStore;
import dev.salesagent.agent.pipeline.RunService;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Load harness for the lead pipeline (not a unit test): N leads through qualify → research → outreach against the
 * in-process provider emulators with a fixed latency, through the real router and adapters over loopback HTTP, at a
 * given concurrency. Prints wall time against the ideal {@code calls × latency ÷ concurrency} and the heap after a
 * full GC at each quarter of the run (flat = no growth beyond the results kept).
 *
 * <pre>
 * mvn -q -o install -DskipTests
 * mvn -q -o dependency:build-classpath -pl bench -Dmdep.outputFile=target/classpath.txt
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.salesagent.bench.PipelineLoad --leads 1000 --latency-ms 50 --concurrency 64 [--direct] [--memory]
 * </pre>
 *
 * Steps are stored in memory ({@link InMemoryStore}): this measures the pipeline, router and HTTP, not a database.
 */
public final class PipelineLoad {
  /** The bench module has no logging configuration: keep DEBUG logging out of the measurement. */
  static void quietLogging() {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
  }

  public static void main(String[] args) throws Exception {
    quietLogging();
    int leads = 1000;
    long latency = 50;
    int concurrency = 64;
    boolean direct = false;
    boolean memory = false;
    int warmup = 1000;
    String external = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--direct")) {
        direct = true;
        continue;
      }
      if (args[i].equals("--memory")) {
        memory = true;
        continue;
      }
      switch (args[i++]) {
        case "--leads" -> leads = Integer.parseInt(args[i]);
        case "--warmup" -> warmup = Integer.parseInt(args[i]);
        case "--latency-ms" -> latency = Long.parseLong(args[i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i]);
        case "--emulator" -> external = args[i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    // --emulator URL: the emulators run in another process (PipelineLoadEmulator, started with the same latency)
    Vertx emuVertx = external == null ? Vertx.vertx() : null;
    Emulator emu = external == null ? Emulator.start(emuVertx, EmulatorOptions.defaults().withLatency(latency))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS) : null;
    String base = external != null ? external.replaceAll("/+$", "") : "http://127.0.0.1:" + emu.port();
    PipelineLoadStats emuStats = new PipelineLoadStats(base, emu);
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_API_KEY", "bench");
    env.put("CEREBRAS_API_KEY", "bench");
    env.put("DEEPSEEK_API_KEY", "bench");
    env.put("ANTHROPIC_BASE_URL", base + "/anthropic");
    env.put("CEREBRAS_BASE_URL", base + "/openai");
    env.put("DEEPSEEK_BASE_URL", base + "/openai/v1");
    env.put("OLLAMA_HOST", base + "/ollama");
    // Per-provider bulkheads above the pipeline's concurrency, budgets out of the way.
    String overlay = """
        providers:
          anthropic: {max_concurrency: 512}
          cerebras: {max_concurrency: 512}
          deepseek: {max_concurrency: 512}
          ollama: {max_concurrency: 512}
        budgets: {daily_usd: 1000000, monthly_usd: 1000000}
        """;
    RouterConfig rc = ConfigLoader.loadYaml(overlay, "bench", env);
    Vertx vertx = Vertx.vertx();
    InMemoryStore warmStore = new InMemoryStore();
    RouterRuntime rt = RouterRuntime.create(vertx, rc, new SimpleMeterRegistry(), warmStore, null);
    final long lat = latency;
    Path dir = Files.createTempDirectory("pipeline-load");
    try {
      // warm-up: JIT, connection pools
      Path warm = writeLeads(dir.resolve("warm.csv"), warmup, "warm");
      new RunService(vertx, direct ? new DirectRouter(vertx, warmStore, lat) : rt.router(), ScoringConfig.defaults(), warmStore, warmStore, warmStore, Clock.systemUTC())
          .execute(new RunService.Options(warm, dir.resolve("warm-out"), concurrency, EnumSet.allOf(Step.class), false), p -> {}, new RunService.Hooks() {});
      rt.close();

      InMemoryStore store = new InMemoryStore();
      RouterRuntime runtime = RouterRuntime.create(vertx, rc, new SimpleMeterRegistry(), store, null);
      Path csv = writeLeads(dir.resolve("leads.csv"), leads, "load");
      emuStats.reset();
      List<String> heap = java.util.Collections.synchronizedList(new ArrayList<>());
      int total = leads;
      java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread sampler = null;
      if (memory) {
        // heap after a full GC at every 10 % of the run, from a thread of its own (never the event loop)
        sampler = new Thread(() -> {
          int next = 1;
          while (running.get() && next <= 9) {
            if (done.get() * 10 >= next * total) {
              System.gc();
              heap.add(String.format(Locale.ROOT, "%d%%: %.1f MB", next * 10, usedHeap() / 1e6));
              next++;
            }
            try {
              Thread.sleep(5);
            } catch (InterruptedException e) {
              return;
            }
          }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
      }
      gc();
      PipelineLoadCpu threadCpu = PipelineLoadCpu.of(direct ? null : emuVertx);
      long heapStart = usedHeap();
      // a marker for tools that attach to the process for the measured run only (a profiler, jcmd)
      System.out.printf(Locale.ROOT, "measuring %d leads (pid %d)%n", leads, ProcessHandle.current().pid());
      System.out.flush();
      Map<String, Long> threads0 = threadCpu.sample();
      long cpu0 = cpuNanos();
      long t0 = System.nanoTime();
      DirectRouter dr = direct ? new DirectRouter(vertx, store, lat) : null;
      var outcome = new RunService(vertx, direct ? dr : runtime.router(), ScoringConfig.defaults(), store, store, store, Clock.systemUTC())
          .execute(new RunService.Options(csv, dir.resolve("out"), concurrency, EnumSet.allOf(Step.class), false),
              p -> done.set(p.leadsDone()), new RunService.Hooks() {});
      running.set(false);
      long wallMs = (System.nanoTime() - t0) / 1_000_000;
      long cpuNanos = cpuNanos() - cpu0;
      Map<String, Long> threads1 = threadCpu.sample();
      long cpuMs = cpuNanos / 1_000_000;
      gc();
      long heapEnd = usedHeap();
      long calls = direct ? dr.calls.get() : emuStats.total();
      double idealMs = calls * (double) latency / concurrency;
      var d = outcome.report();
      System.out.printf(Locale.ROOT, "leads %d · concurrency %d · latency %d ms · %s · %d CPUs%n", leads, concurrency, latency,
          direct ? "direct (pipeline only: answers generated in-process after a timer, no router, no HTTP)"
              : "router + adapters + HTTP to the emulators " + (external == null ? "(in this process)" : "in another process at " + external),
          Runtime.getRuntime().availableProcessors());
      System.out.printf(Locale.ROOT, "tiers %s%n", d.tiers());
      for (var u : d.usage()) {
        System.out.printf(Locale.ROOT, "  %-10s %-14s %5d attempts  avg %d ms  max %d ms%n", u.provider(), u.task(), u.calls(), u.avgLatencyMs(), u.maxLatencyMs());
      }
      System.out.printf(Locale.ROOT, "emulator requests %d (ledger %d attempts, %d requests)%n", calls, d.ledgerRows(), d.requests());
      System.out.printf(Locale.ROOT, "wall %d ms · ideal %.0f ms · ratio %.2f · %.0f calls/s%n", wallMs, idealMs, wallMs / idealMs, calls * 1000.0 / wallMs);
      System.out.printf(Locale.ROOT, "process CPU %d ms = %.2f ms per call (pipeline + router + HTTP%s); load average %s%n",
          cpuMs, cpuMs / (double) calls, external == null && !direct ? " both ways + emulator" : "", new String(Files.readAllBytes(Path.of("/proc/loadavg"))).trim());
      System.out.println("CPU by thread group: " + PipelineLoadCpu.describe(threads0, threads1, cpuNanos, calls));
      System.out.printf(Locale.ROOT, "heap after GC: start %.1f MB, end %.1f MB (results kept in memory: %d step records)%n",
          heapStart / 1e6, heapEnd / 1e6, store.steps(outcome.run().id()).size());
      if (memory) System.out.println("heap after GC during the run: " + String.join(", ", heap));
      System.out.println(wallMs <= 1.5 * idealMs ? "PASS: within 1.5x of ideal" : "FAIL: slower than 1.5x ideal");
      runtime.close();
    } finally {
      vertx.close();
      if (emu != null) {
        emu.close();
        emuVertx.close();
      }
    }
  }

  /** Answers like the emulator, in-process, after {@code latency} ms: measures the pipeline without router or HTTP. */
  static final class DirectRouter implements dev.salesagent.router.routing.LlmRouter {
    final Vertx vertx;
    final dev.salesagent.router.routing.UsageSink sink;
    final long latency;
    final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    DirectRouter(Vertx vertx, dev.salesagent.router.routing.UsageSink sink, long latency) {
      this.vertx = vertx;
      this.sink = sink;
      this.latency = latency;
    }

    @Override
    public io.vertx.core.Future<dev.salesagent.router.routing.RoutedResponse> chat(dev.salesagent.router.routing.RouteRequest req) {
      calls.incrementAndGet();
      io.vertx.core.Promise<dev.salesagent.router.routing.RoutedResponse> p = io.vertx.core.Promise.promise();
      vertx.setTimer(Math.max(1, latency), t -> {
        var msgs = req.chat().messages();
        String last = msgs.get(msgs.size() - 1).content();
        var js = (dev.salesagent.router.model.ResponseFormat.JsonSchema) req.chat().responseFormat();
        String text = dev.salesagent.emulator.SchemaInstanceGenerator.generate(js.schema(), last.hashCode(), last).toString();
        var u = new dev.salesagent.router.model.Usage(last.length() / 4, text.length() / 4, 0);
        sink.record(new dev.salesagent.router.routing.UsageRecord(java.time.Instant.now(), req.requestId(), null, req.task(), "direct",
            "m", u.inputTokens(), 0, u.outputTokens(), 0.000001, latency, "ok", 200, false));
        var r = new dev.salesagent.router.model.ChatResponse("x", "direct", "m", text, null, List.of(),
            dev.salesagent.router.model.FinishReason.STOP, "stop", u, latency, null);
        p.complete(new dev.salesagent.router.routing.RoutedResponse(req.requestId(), r, req.task(), null, 0.000001,
            List.of(new dev.salesagent.router.model.Attempt("direct", "m", "ok", 200, latency))));
      });
      return p.future();
    }

    @Override
    public io.vertx.core.Future<dev.salesagent.router.routing.RoutedResponse> stream(dev.salesagent.router.routing.RouteRequest r,
        dev.salesagent.router.routing.StreamObserver o) {
      return io.vertx.core.Future.failedFuture(new UnsupportedOperationException());
    }
  }

  static void gc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
  }

  static long cpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** {@code n} leads cycled from the bundled samples, each with a unique email. */
  static Path writeLeads(Path file, int n, String tag) throws Exception {
    List<String> rows = new ArrayList<>();
    String header;
    try (InputStream in = RunService.class.getResourceAsStream("/samples/leads.csv");
         BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      header = r.readLine();
      String line;
      while ((line = r.readLine()) != null) {
        String[] cells = line.split(",", 4);
        if (cells.length < 4 || !cells[2].contains("@") || cells[2].endsWith("@")) continue;
        rows.add(line);
      }
    }
    StringBuilder sb = new StringBuilder(header).append('\n');
    for (int i = 0; i < n; i++) {
      String row = rows.get(i % rows.size());
      String[] cells = row.split(",", 4);
      String email = cells[2].toLowerCase(Locale.ROOT);
      String unique = email.replace("@", "+" + tag + i + "@");
      sb.append(cells[0]).append(',').append(cells[1]).append(',').append(unique).append(',').append(cells[3]).append('\n');
    }
    Files.writeString(file, sb);
    return file;
  }
}
