package dev.salesagent.crm.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.salesagent.router.error.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * HubSpot's CRM v3 API over Vert.x's non-blocking HTTP client: private-app bearer auth, JSON bodies, HubSpot's rate
 * limits honoured ({@link RateLimitGate}: a used-up window or a 429 waits for the window to reset, then the request is
 * sent again), 5xx and connection failures retried with exponential backoff when the call is idempotent, errors in
 * the project's taxonomy ({@link HubSpotException}) with HubSpot's {@code category} and {@code correlationId}. The token
 * is only ever written into the {@code Authorization} header: never logged, never in an error.
 */
public final class HubSpotClient implements AutoCloseable {
  public static final String DEFAULT_BASE_URL = "https://api.hubapi.com";
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Where and how to call HubSpot.
   *
   * @param maxRetries      retries of a 5xx or a failed connection (idempotent calls only)
   * @param maxRateWaits    429 answers waited out before giving up with {@code rate_limited}
   * @param retryBackoffMs  first backoff of those retries, doubled each time
   * @param timeoutMs       no answer bytes for this long fails the attempt
   */
  public record Settings(String baseUrl, String token, int maxRetries, int maxRateWaits, long retryBackoffMs, long timeoutMs) {
    public Settings {
      if (token == null || token.isBlank()) throw new IllegalArgumentException(missingToken());
      baseUrl = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.strip().replaceAll("/+$", "");
      URI u = URI.create(baseUrl);
      if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
        throw new IllegalArgumentException("HUBSPOT_BASE_URL '" + baseUrl + "' is not an http(s) URL");
      }
    }

    /** {@code HUBSPOT_TOKEN} (required) and {@code HUBSPOT_BASE_URL} (default {@value #DEFAULT_BASE_URL}). */
    public static Settings fromEnv(Map<String, String> env) {
      return new Settings(env.get("HUBSPOT_BASE_URL"), env.get("HUBSPOT_TOKEN"), 3, 6, 500, 30_000);
    }

    public static String missingToken() {
      return "set HUBSPOT_TOKEN to a HubSpot private-app access token (scopes crm.objects.contacts.read/write, "
          + "crm.schemas.contacts.read/write)";
    }

    public Settings withRetries(int retries, long backoffMs) {
      return new Settings(baseUrl, token, retries, maxRateWaits, backoffMs, timeoutMs);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
      return "HubSpot[" + baseUrl + ", token ****]";
    }
  }

  /** An answer HubSpot gave: its status and JSON body ({@link NullNode} when empty). */
  public record Answer(int status, JsonNode body) {}

  private final Vertx vertx;
  private final Settings settings;
  private final HttpClient http;
  private final URI base;
  private final RateLimitGate gate = new RateLimitGate();

  public HubSpotClient(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.base = URI.create(settings.baseUrl());
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000)
        .setIdleTimeout((int) Math.max(1, settings.timeoutMs() / 1000)));
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Sends one call and completes with HubSpot's answer when its status is 2xx or in {@code alsoAccepted} (404 of a
   * lookup, 409 of a create); anything else fails with a {@link HubSpotException} once the retries are spent.
   *
   * @param idempotent whether a 5xx or a lost connection may be retried (a note create is not: it may have been
   *                   written; a 429 is always retried, HubSpot refused it before doing anything)
   */
  public Future<Answer> call(HttpMethod method, String path, Object body, boolean idempotent, Set<Integer> alsoAccepted) {
    Buffer bytes;
    try {
      bytes = body == null ? null : Buffer.buffer(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      return Future.failedFuture(new HubSpotException(ErrorKind.INVALID_REQUEST, 0, null, "cannot encode the request: " + e.getMessage(), null));
    }
    Promise<Answer> p = Promise.promise();
    if (io.vertx.core.Vertx.currentContext() == null) {
      // Off Vert.x (the CLI's thread) the chain below would be built while the event loop already answers: a body()
      // asked for after the body arrived never completes, and the call would hang past every timeout. On a context,
      // the callbacks run on it, in order.
      vertx.runOnContext(v -> attempt(method, path, bytes, idempotent, alsoAccepted, 0, 0, p));
    } else {
      attempt(method, path, bytes, idempotent, alsoAccepted, 0, 0, p);
    }
    return p.future();
  }

  private void attempt(HttpMethod method, String path, Buffer body, boolean idempotent, Set<Integer> accepted,
      int retries, int rateWaits, Promise<Answer> p) {
    long delay = gate.delayMs(System.nanoTime());
    if (delay > 0) {
      vertx.setTimer(delay, t -> send(method, path, body, idempotent, accepted, retries, rateWaits, p));
    } else {
      send(method, path, body, idempotent, accepted, retries, rateWaits, p);
    }
  }

  private void send(HttpMethod method, String path, Buffer body, boolean idempotent, Set<Integer> accepted,
      int retries, int rateWaits, Promise<Answer> p) {
    boolean ssl = "https".equals(base.getScheme());
    int port = base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80;
    String prefix = base.getRawPath() == null ? "" : base.getRawPath();
    RequestOptions ro = new RequestOptions().setMethod(method).setHost(base.getHost()).setPort(port).setSsl(ssl)
        .setURI(prefix + path).setIdleTimeout(settings.timeoutMs())
        .putHeader("authorization", "Bearer " + settings.token()).putHeader("accept", "application/json");
    if (body != null) ro.putHeader("content-type", "application/json");
    http.request(ro)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Raw(resp, b)))
        .onComplete(ar -> {
          if (ar.failed()) {
            boolean timeout = ar.cause() instanceof java.util.concurrent.TimeoutException
                || String.valueOf(ar.cause().getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout");
            HubSpotException e = new HubSpotException(timeout ? ErrorKind.TIMEOUT : ErrorKind.UNAVAILABLE, 0, null,
                (timeout ? "no answer from " : "cannot reach ") + settings.baseUrl() + ": " + ar.cause().getMessage(), null);
            retryOrFail(e, method, path, body, idempotent && !timeout || isConnectFailure(ar.cause()), idempotent, accepted,
                retries, rateWaits, p);
            return;
          }
          handle(ar.result(), method, path, body, idempotent, accepted, retries, rateWaits, p);
        });
  }

  private static boolean isConnectFailure(Throwable t) {
    return t instanceof java.net.ConnectException || t instanceof io.netty.channel.ConnectTimeoutException;
  }

  private record Raw(HttpClientResponse resp, Buffer body) {}

  private void handle(Raw raw, HttpMethod method, String path, Buffer body, boolean idempotent, Set<Integer> accepted,
      int retries, int rateWaits, Promise<Answer> p) {
    int status = raw.resp().statusCode();
    var h = raw.resp().headers();
    gate.observe(status, h.get("X-HubSpot-RateLimit-Remaining"), h.get("X-HubSpot-RateLimit-Interval-Milliseconds"),
        h.get("Retry-After"), System.nanoTime());
    JsonNode json = parse(raw.body());
    if ((status >= 200 && status < 300) || accepted.contains(status)) {
      p.tryComplete(new Answer(status, json));
      return;
    }
    HubSpotException e = errorOf(status, json);
    if (status == 429) {
      // A daily limit does not reset within a window: waiting would only hold the run until midnight.
      boolean daily = "DAILY".equalsIgnoreCase(json.path("policyName").asText(""));
      if (!daily && rateWaits < settings.maxRateWaits()) {
        attempt(method, path, body, idempotent, accepted, retries, rateWaits + 1, p);
      } else {
        p.tryFail(e);
      }
      return;
    }
    retryOrFail(e, method, path, body, idempotent && status >= 500, idempotent, accepted, retries, rateWaits, p);
  }

  private void retryOrFail(HubSpotException e, HttpMethod method, String path, Buffer body, boolean retryable,
      boolean idempotent, Set<Integer> accepted, int retries, int rateWaits, Promise<Answer> p) {
    if (!retryable || retries >= settings.maxRetries()) {
      p.tryFail(e);
      return;
    }
    long backoff = settings.retryBackoffMs() << Math.min(retries, 10);
    vertx.setTimer(Math.max(1, backoff), t -> attempt(method, path, body, idempotent, accepted, retries + 1, rateWaits, p));
  }

  /** HubSpot's error body {@code {status, message, correlationId, category}}; an HTML 502 from its edge says less. */
  static HubSpotException errorOf(int status, JsonNode json) {
    String message = json.path("message").asText(null);
    if (message == null || message.isBlank()) message = "HTTP " + status + " without a HubSpot error body";
    String category = json.path("category").asText(null);
    if (category == null) category = json.path("errorType").asText(null);
    return new HubSpotException(HubSpotException.kindOf(status), status, category, message, json.path("correlationId").asText(null));
  }

  private static JsonNode parse(Buffer b) {
    if (b == null || b.length() == 0) return NullNode.getInstance();
    try {
      return JSON.readTree(b.getBytes());
    } catch (IOException e) {
      return NullNode.getInstance(); // not JSON (an edge proxy's HTML page): the status says what happened
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
