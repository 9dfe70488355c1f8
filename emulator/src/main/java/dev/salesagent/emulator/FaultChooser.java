package dev.salesagent.emulator;

import io.vertx.core.http.HttpServerRequest;
import java.util.Random;

/**
 * Which fault, if any, a chat request gets and the Retry-After it carries. Priority: the request's
 * {@code x-emulator-fault} header, then the {@link FaultScript} (its FIFO queue, then {@code always}), then the random
 * fault rate — drawn from one {@code Random(seed)}, so the same request order gives the same fault sequence.
 */
final class FaultChooser {
  private static final Fault[] RANDOM_FAULTS = {Fault.RATE_LIMIT, Fault.OVERLOADED, Fault.SERVER_ERROR, Fault.STREAM_CUT};

  private final FaultScript faults;
  private final double faultRate;
  private final Random random;

  FaultChooser(FaultScript faults, EmulatorOptions options) {
    this.faults = faults;
    this.faultRate = options.faultRate();
    this.random = new Random(options.seed());
  }

  Fault choose(String protocol, String model, HttpServerRequest req) {
    Fault h = Fault.parse(req.getHeader("x-emulator-fault"));
    if (h != null) return h;
    Fault s = faults.take(protocol, model);
    if (s != null) return s;
    if (faultRate > 0) {
      synchronized (random) {
        double d = random.nextDouble();
        int k = random.nextInt(RANDOM_FAULTS.length);
        if (d < faultRate) return RANDOM_FAULTS[k];
      }
    }
    return null;
  }

  /** The script's Retry-After, or the request's {@code x-emulator-retry-after} when it is a number. */
  int retryAfterSeconds(HttpServerRequest req) {
    int retryAfter = faults.retryAfterSeconds();
    String ra = req.getHeader("x-emulator-retry-after");
    if (ra != null) {
      try {
        retryAfter = Math.max(0, Integer.parseInt(ra.trim()));
      } catch (NumberFormatException ignored) {
        // keep the script's value
      }
    }
    return retryAfter;
  }
}
