package dev.salesagent.emulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Local HTTP server on 127.0.0.1 speaking the Anthropic ({@code /anthropic}), OpenAI-compatible
 * ({@code /openai}) and Ollama ({@code /ollama}) wire protocols, with latency and fault injection, and HubSpot's CRM v3
 * API ({@code /hubspot}, {@link HubSpotEmulator}).
 * See {@code emulator/README.md} for the fault table.
 *
 * <p>The parts: {@link ServerDeployment} (the listening servers and their connections), {@link EmulatorRoutes}
 * (paths to endpoints, control endpoints), {@link ChatHandler} (checks, stats, the fault choice of
 * {@link FaultChooser}), {@link ChatResponder} (answers, streams, body-level faults, on {@link PendingTimers}),
 * {@link EmulatorWarmUp}.
 */
public final class Emulator {
  private final EmulatorOptions options;
  private final FaultScript faults = new FaultScript();
  private final EmulatorStats stats = new EmulatorStats();
  private final PendingTimers timers;
  private final ServerDeployment server;
  private final HubSpotEmulator hubspot = new HubSpotEmulator(System::currentTimeMillis);

  private Emulator(Vertx vertx, EmulatorOptions options) {
    this.options = options;
    this.timers = new PendingTimers(vertx);
    ChatHandler chat = new ChatHandler(stats, new FaultChooser(faults, options), new ChatResponder(options, timers, new PromptCache(System::nanoTime)));
    EmulatorRoutes routes = new EmulatorRoutes(new AnthropicProtocol(), new OpenAiProtocol(), new OllamaProtocol(options),
        faults, stats, chat, new HubSpotRoutes(hubspot));
    this.server = new ServerDeployment(vertx, options.port(), routes::handle);
  }

  /** Starts the emulator on 127.0.0.1 ({@code options.port()} 0 = a free port). */
  public static Future<Emulator> start(Vertx vertx, EmulatorOptions options) {
    Emulator e = new Emulator(vertx, options == null ? EmulatorOptions.defaults() : options);
    Future<Object> warm = vertx.executeBlocking(() -> {
      EmulatorWarmUp.run();
      return null;
    }, false);
    return Future.all(warm, e.server.listen())
        .compose(x -> EmulatorWarmUp.selfRequest(vertx, e.port()))
        .map(v -> e);
  }

  public int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:PORT/anthropic}: POST {base}/v1/messages, GET {base}/v1/models. */
  public String anthropicBaseUrl() {
    return "http://127.0.0.1:" + port() + "/anthropic";
  }

  /** {@code http://127.0.0.1:PORT/openai/v1}: POST {base}/chat/completions, GET {base}/models. */
  public String openAiBaseUrl() {
    return "http://127.0.0.1:" + port() + "/openai/v1";
  }

  /** {@code http://127.0.0.1:PORT/openai}: Cerebras-style root, POST {root}/v1/chat/completions. */
  public String openAiRootUrl() {
    return "http://127.0.0.1:" + port() + "/openai";
  }

  /** {@code http://127.0.0.1:PORT/ollama}: POST {base}/api/chat, GET {base}/api/tags. */
  public String ollamaBaseUrl() {
    return "http://127.0.0.1:" + port() + "/ollama";
  }

  /** {@code http://127.0.0.1:PORT/hubspot}: HubSpot's CRM v3 API ({@code HUBSPOT_BASE_URL}); see {@link HubSpotEmulator}. */
  public String hubspotBaseUrl() {
    return "http://127.0.0.1:" + port() + "/hubspot";
  }

  /** The HubSpot emulator's state, token, rate limit and faults. */
  public HubSpotEmulator hubspot() {
    return hubspot;
  }

  public FaultScript faults() {
    return faults;
  }

  public EmulatorStats stats() {
    return stats;
  }

  public EmulatorOptions options() {
    return options;
  }

  /** Timers of delayed answers/streams still pending (for tests). */
  int pendingTimers() {
    return timers.size();
  }

  /** Open client connections (for tests). */
  int openConnections() {
    return server.openConnections();
  }

  /** Closes the servers, every open connection (including TIMEOUT/STREAM_STALL ones) and pending timers. */
  public Future<Void> close() {
    timers.close();
    return server.close();
  }
}
