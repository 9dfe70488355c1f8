package dev.salesagent.app;

import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sales-agent emulate}: the provider emulators on 127.0.0.1 (default port 9099) until SIGTERM/Ctrl-C.
 * Prints one line on stdout with the base URLs and the environment a client needs.
 */
@Command(
    name = "emulate",
    mixinStandardHelpOptions = true,
    description = {
      "Runs local emulators of the Anthropic (/anthropic), OpenAI-compatible (/openai/v1) and Ollama (/ollama) APIs on 127.0.0.1.",
      "GET /_stats gives {\"requests\":{\"<protocol>\":{\"<model>\":N}},...}; POST /_faults {\"protocol\":\"openai\",\"fault\":\"overloaded\",\"times\":3}",
      "injects faults ({\"always\":true} until {\"clear\":true}); POST /_reset clears stats and faults; header x-emulator-fault: <fault> per request."
    })
final class EmulateCommand implements Callable<Integer> {
  static final int DEFAULT_PORT = 9099;

  @Option(names = "--port", description = "TCP port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 = any free port)", defaultValue = "9099")
  int port = DEFAULT_PORT;

  @Option(names = "--latency-ms", description = "delay before the first token (default ${DEFAULT-VALUE})", defaultValue = "0")
  long latencyMs;

  @Option(names = "--inter-token-ms", description = "delay between streamed tokens (default ${DEFAULT-VALUE})", defaultValue = "0")
  long interTokenMs;

  @Option(names = "--fault-rate", description = "probability 0..1 of a random fault (rate limit, overload, 500, cut stream) per chat request (default ${DEFAULT-VALUE})", defaultValue = "0")
  double faultRate;

  @Option(names = "--seed", description = "seed of the random fault sequence (default ${DEFAULT-VALUE})", defaultValue = "42")
  long seed = 42;

  @Override
  public Integer call() throws Exception {
    EmulatorOptions options;
    try {
      options = new EmulatorOptions(port, latencyMs, interTokenMs, faultRate, seed);
    } catch (IllegalArgumentException e) {
      System.err.println("emulate: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    Vertx vertx = Vertx.vertx();
    Emulator emulator;
    try {
      emulator = Emulator.start(vertx, options).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("emulate: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
      vertx.close();
      return Main.EXIT_USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        emulator.close().await(5, TimeUnit.SECONDS);
        vertx.close().await(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      } finally {
        stopped.countDown();
      }
    }, "emulate-shutdown"));
    String root = "http://127.0.0.1:" + emulator.port();
    System.out.println("emulator listening on " + root
        + " anthropic=" + emulator.anthropicBaseUrl()
        + " openai=" + emulator.openAiBaseUrl()
        + " ollama=" + emulator.ollamaBaseUrl()
        + " | export ANTHROPIC_BASE_URL=" + emulator.anthropicBaseUrl() + " ANTHROPIC_API_KEY=emulator"
        + " CEREBRAS_BASE_URL=" + emulator.openAiRootUrl() + " CEREBRAS_API_KEY=emulator"
        + " DEEPSEEK_BASE_URL=" + emulator.openAiBaseUrl() + " DEEPSEEK_API_KEY=emulator"
        + " OLLAMA_HOST=" + emulator.ollamaBaseUrl()
        + " HUBSPOT_BASE_URL=" + emulator.hubspotBaseUrl() + " HUBSPOT_TOKEN=" + dev.salesagent.emulator.HubSpotEmulator.DEFAULT_TOKEN);
    System.out.flush();
    stopped.await();
    return Main.EXIT_OK;
  }
}
