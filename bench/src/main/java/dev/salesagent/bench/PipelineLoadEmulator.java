package dev.salesagent.bench;

import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * The provider emulators alone, for {@code PipelineLoad --emulator URL}: a process of their own (pinnable with
 * {@code taskset}), so the pipeline process's CPU per call, JIT and GC are ours and not the fake providers'. In
 * production the providers are other machines; in-process they share our JIT queue and heap.
 *
 * <pre>
 * taskset -c 1 java -cp ... dev.salesagent.bench.PipelineLoadEmulator --port 9199 --latency-ms 50
 * </pre>
 */
public final class PipelineLoadEmulator {
  public static void main(String[] args) throws Exception {
    PipelineLoad.quietLogging();
    int port = 9199;
    long latency = 50;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--port")) port = Integer.parseInt(args[i + 1]);
      else if (args[i].equals("--latency-ms")) latency = Long.parseLong(args[i + 1]);
      else throw new IllegalArgumentException("unknown option " + args[i]);
    }
    Emulator emu = Emulator.start(Vertx.vertx(), EmulatorOptions.defaults().withPort(port).withLatency(latency))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.out.println("emulators on http://127.0.0.1:" + emu.port() + " (latency " + latency + " ms)");
    Thread.currentThread().join(); // until killed
  }
}
