package dev.salesagent.emulator;

/**
 * Emulator settings.
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free port
 * @param firstTokenDelayMs delay before the first content token (streaming) or before the whole answer (non-streaming)
 * @param interTokenDelayMs delay between two streamed token pieces (non-streaming waits the sum)
 * @param faultRate probability in [0,1] that a chat request gets a random fault (RATE_LIMIT, OVERLOADED, SERVER_ERROR, STREAM_CUT)
 * @param seed seed of the random fault sequence (deterministic for a given request order)
 */
public record EmulatorOptions(int port, long firstTokenDelayMs, long interTokenDelayMs, double faultRate, long seed) {

  public EmulatorOptions {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    if (firstTokenDelayMs < 0 || interTokenDelayMs < 0) throw new IllegalArgumentException("delays must be >= 0");
    if (faultRate < 0 || faultRate > 1 || Double.isNaN(faultRate)) throw new IllegalArgumentException("faultRate must be in [0,1]");
  }

  /** Port 0, no latency, no random faults, seed 42. */
  public static EmulatorOptions defaults() {
    return new EmulatorOptions(0, 0, 0, 0.0, 42);
  }

  public EmulatorOptions withPort(int port) {
    return new EmulatorOptions(port, firstTokenDelayMs, interTokenDelayMs, faultRate, seed);
  }

  public EmulatorOptions withLatency(long firstTokenDelayMs) {
    return new EmulatorOptions(port, firstTokenDelayMs, interTokenDelayMs, faultRate, seed);
  }

  public EmulatorOptions withInterTokenDelay(long interTokenDelayMs) {
    return new EmulatorOptions(port, firstTokenDelayMs, interTokenDelayMs, faultRate, seed);
  }

  public EmulatorOptions withFaultRate(double faultRate) {
    return new EmulatorOptions(port, firstTokenDelayMs, interTokenDelayMs, faultRate, seed);
  }

  public EmulatorOptions withSeed(long seed) {
    return new EmulatorOptions(port, firstTokenDelayMs, interTokenDelayMs, faultRate, seed);
  }
}
