package dev.salesagent.server.console;

import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.Responses;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;

/**
 * {@code GET /console} (the web console): static files only, public like any web page's. The page holds no data: it
 * asks the ordinary API for everything with the key the user signed in with (a bearer header, kept in the tab's
 * {@code sessionStorage}), so the console adds no way past the API's auth.
 *
 * <p>Headers: a Content-Security-Policy that allows only this origin (no inline script or style, no framing), nosniff,
 * no referrer; {@code cache-control: no-cache} with an ETag, so a browser revalidates (304) and a new jar's files are
 * picked up at once. Files are gzipped once at start when the client accepts it.
 */
public final class ConsoleHandler {
  public static final String PREFIX = "/console";
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";

  private final ConsoleAssets assets;
  private final Logger accessLog;

  public ConsoleHandler(ConsoleAssets assets, Logger accessLog) {
    this.assets = assets;
    this.accessLog = accessLog;
  }

  /** True for {@code /console} and every path below it. */
  public static boolean matches(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  public void handle(HttpServerRequest req) {
    ClientExchange x = new ClientExchange(req, accessLog);
    HttpServerResponse r = x.resp;
    req.resume();
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      r.putHeader("allow", "GET, HEAD");
      Responses.sendOpenAiError(r, new ApiError(405, "method_not_allowed", "the console is read with GET", null, null, null), x.requestId);
      return;
    }
    String path = req.path();
    String name = path.length() <= PREFIX.length() + 1 ? "index.html" : path.substring(PREFIX.length() + 1);
    ConsoleAssets.Asset a = assets.get(name);
    if (a == null) {
      x.errorCode = "not_found";
      Responses.sendOpenAiError(r, ApiError.notFound("not_found", "no such console file"), x.requestId);
      return;
    }
    r.putHeader("content-security-policy", CSP)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("x-frame-options", "DENY")
        .putHeader("cross-origin-opener-policy", "same-origin")
        .putHeader("cache-control", "no-cache")
        .putHeader("etag", a.etag())
        .putHeader("vary", "accept-encoding");
    String inm = req.getHeader("if-none-match");
    if (inm != null && inm.contains(a.etag())) {
      r.setStatusCode(304).end();
      return;
    }
    byte[] body = a.bytes();
    if (a.gzip() != null && acceptsGzip(req.getHeader("accept-encoding"))) {
      body = a.gzip();
      r.putHeader("content-encoding", "gzip");
    }
    r.setStatusCode(200).putHeader("content-type", a.contentType());
    if (req.method() == HttpMethod.HEAD) {
      r.putHeader("content-length", Integer.toString(body.length)).end();
    } else {
      r.end(io.vertx.core.buffer.Buffer.buffer(body));
    }
  }

  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) return false;
    for (String part : acceptEncoding.split(",")) {
      String[] p = part.trim().split(";");
      if (!p[0].trim().equalsIgnoreCase("gzip")) continue;
      for (int i = 1; i < p.length; i++) {
        String q = p[i].trim();
        if (q.startsWith("q=") && q.substring(2).trim().matches("0(\\.0*)?")) return false;
      }
      return true;
    }
    return false;
  }
}
