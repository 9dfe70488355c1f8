package dev.salesagent.server.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * Vert.x's HTTP/1.x request decoder, except that a request carrying both {@code Content-Length} and
 * {@code Transfer-Encoding: chunked} is invalid (Netty drops the length and reads the body as chunked, so a proxy in
 * front that trusts the length and this server see different requests: smuggling). It is answered 400 and its
 * connection closed, as RFC 9112 §6.3 requires; {@link InvalidRequests} writes the answer.
 */
public final class StrictRequestDecoder extends VertxHttpRequestDecoder {
  public StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    message.setDecoderResult(DecoderResult.failure(new AmbiguousLength(
        "the request has both Content-Length and Transfer-Encoding: send only one (RFC 9112 section 6.3)")));
  }

  /** A request whose body length cannot be determined safely. */
  public static final class AmbiguousLength extends IllegalArgumentException {
    public AmbiguousLength(String message) {
      super(message);
    }
  }
}
