package dev.salesagent.server.mail;

import dev.salesagent.agent.send.OneClickUnsubscribe;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.RateDecision;
import dev.salesagent.server.auth.RateLimiter;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.Bodies;
import dev.salesagent.server.http.ClientExchange;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The RFC 8058 one-click unsubscribe receiver, public (no API key: the token in the URL is the credential).
 * {@code POST /unsubscribe?t=TOKEN} (or {@code /unsubscribe/TOKEN}) with the form body
 * {@code List-Unsubscribe=One-Click} puts the send's recipient on the suppression list and answers 200 — again 200 when
 * replayed. {@code GET} on the same URL only shows a page with a button that POSTs: mail scanners prefetch links, so a
 * GET never unsubscribes. An unknown or malformed token is 404 with nothing said. Per client address at most
 * {@value #PER_MINUTE} requests a minute (429 beyond), bodies at most {@value #BODY_LIMIT} bytes (413).
 */
public final class UnsubscribeEndpoint {
  public static final String PATH = "/unsubscribe";
  static final int BODY_LIMIT = 4 * 1024;
  static final int PER_MINUTE = 30;
  private static final String ONE_CLICK = "List-Unsubscribe=One-Click";
  private final Vertx vertx;
  private final GatewayServices s;
  private final OneClickUnsubscribe unsubscribe;
  private final RateLimiter limiter;

  public UnsubscribeEndpoint(Vertx vertx, GatewayServices s, OneClickUnsubscribe unsubscribe, RateLimiter perAddress) {
    this.vertx = vertx;
    this.s = s;
    this.unsubscribe = unsubscribe;
    this.limiter = perAddress;
  }

  /** Serves {@code req} when its path is {@link #PATH} or below it; returns false (and touches nothing) otherwise. */
  public boolean handle(HttpServerRequest req) {
    String path = req.path();
    if (!path.equals(PATH) && !path.startsWith(PATH + "/")) return false;
    ClientExchange x = new ClientExchange(req, s.accessLog());
    HttpMethod m = req.method();
    if (m != HttpMethod.GET && m != HttpMethod.POST) {
      x.resp.putHeader("allow", "GET, POST");
      fail(x, new ApiException(new ApiError(405, "method_not_allowed", "use GET or POST", null, null, null)));
      return true;
    }
    Future<RateDecision> gate = limiter.acquire("unsubscribe:" + client(req), PER_MINUTE).compose(d -> d instanceof RateDecision.Refused r
        ? Future.failedFuture(new ApiException(new ApiError(429, "rate_limited", "too many requests: retry later", null, r.retryAfterSeconds(), null)))
        : Future.succeededFuture(d));
    Future<Buffer> body = m == HttpMethod.POST ? Bodies.readAfter(gate, req, BODY_LIMIT) : gate.map(d -> Buffer.buffer());
    body.compose(b -> {
      MultiMap f = m == HttpMethod.POST ? form(b) : MultiMap.caseInsensitiveMultiMap();
      String token = token(req, f);
      if (m == HttpMethod.GET) {
        return vertx.executeBlocking(() -> unsubscribe.known(token), false).map(known -> {
          if (!known) throw notFound();
          page(x, 200, "Unsubscribe", "<p>Stop receiving emails from us?</p>"
              + "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
              + "<button type=\"submit\">Unsubscribe</button></form>");
          return (Void) null;
        });
      }
      if (!"One-Click".equals(f.get("List-Unsubscribe"))) {
        return Future.failedFuture(ApiException.invalid(null, "the body must be the form " + ONE_CLICK + " (RFC 8058)"));
      }
      return vertx.executeBlocking(() -> unsubscribe.unsubscribe(token), false).map(r -> {
        if (r == OneClickUnsubscribe.Result.UNKNOWN) throw notFound();
        page(x, 200, "Unsubscribed", "<p>You are unsubscribed: we will not email this address again.</p>");
        return (Void) null;
      });
    }).onFailure(t -> fail(x, t));
    return true;
  }

  private static ApiException notFound() {
    return new ApiException(ApiError.notFound("not_found", "not found"));
  }

  private static void fail(ClientExchange x, Throwable t) {
    if (x.resp.ended()) return;
    ApiError e = t instanceof ApiException ae ? ae.error() : ApiError.from(t);
    x.errorCode = e.code();
    Bodies.abandon(x.req);
    if (e.retryAfterSeconds() != null) x.resp.putHeader("retry-after", Long.toString(e.retryAfterSeconds()));
    String title = e.status() == 404 ? "Not found" : "Error";
    page(x, e.status(), title, "<p>" + (e.status() == 404 ? "This link is not valid." : escape(e.message())) + "</p>");
  }

  private static void page(ClientExchange x, int status, String title, String body) {
    x.resp.setStatusCode(status).putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("cache-control", "no-store").putHeader("x-robots-tag", "noindex")
        .end("<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><h1>" + title
            + "</h1>" + body + "</body></html>");
  }

  /** The token: {@code ?t=}, else the last path segment below {@link #PATH}, else a {@code t} form field. */
  static String token(HttpServerRequest req, MultiMap form) {
    String t = req.getParam("t");
    if (t == null && req.path().length() > PATH.length() + 1) t = req.path().substring(PATH.length() + 1);
    if (t == null) t = form.get("t");
    return t;
  }

  static MultiMap form(Buffer b) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (String pair : b.toString(StandardCharsets.UTF_8).split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        m.add(k.strip(), v.strip());
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid(null, "the body is not a valid form");
      }
    }
    return m;
  }

  private static String client(HttpServerRequest req) {
    SocketAddress a = req.remoteAddress();
    return a == null ? "unknown" : a.hostAddress();
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
