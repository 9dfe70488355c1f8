package dev.salesagent.emulator;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/** Writes a {@link Protocol.Reply} (status, headers and the protocol's common headers, body) unless already answered. */
final class Replies {
  private Replies() {}

  static void headers(HttpServerResponse res, Protocol p, List<String[]> hs) {
    for (String[] h : hs) res.putHeader(h[0], h[1]);
    if (p != null) {
      List<String[]> common = new ArrayList<>(1);
      p.commonHeaders(common);
      for (String[] h : common) res.putHeader(h[0], h[1]);
    }
  }

  static void send(HttpServerRequest req, Protocol p, Protocol.Reply reply) {
    HttpServerResponse res = req.response();
    if (res.closed() || res.ended()) return;
    res.setStatusCode(reply.status());
    headers(res, p, reply.headers());
    res.end(reply.body());
  }
}
