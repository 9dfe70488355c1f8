package dev.salesagent.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.x connection's timeouts and admission, as a Netty handler between Vert.x's codec and its connection
 * handler: it sees each decoded request and body chunk, each response's end, and the socket's writability, and
 * records when the connection entered its current phase — a few field writes per message, no timer per request. The
 * event loop's {@link ConnectionGuards} sweep checks every connection against {@link HttpLimits} a few times per
 * shortest timeout and closes the ones past their deadline:
 *
 * <ul>
 *   <li>waiting for a request's headers (from the connection's start, or from a request's first byte on a kept-alive
 *       connection) longer than {@code headerTimeoutMs};</li>
 *   <li>no request at all for {@code keepAliveTimeoutMs};</li>
 *   <li>a body silent for {@code bodyIdleTimeoutMs}, or not complete {@code bodyTimeoutMs} after its headers;</li>
 *   <li>a client that has not read for {@code writeStallTimeoutMs} while its socket is full — closing it cancels the
 *       routed call behind the response (Vert.x reports the close to the response's handlers).</li>
 * </ul>
 *
 * A connection over the caps gets, for its first request, a 503 JSON answer with {@code connection: close}, and is
 * closed; nothing of it reaches the API. A request with a {@code Transfer-Encoding} whose last coding is not
 * {@code chunked} is marked undecodable (400 and close, RFC 9112 §6.3), like {@link StrictRequestDecoder} does for
 * {@code Content-Length} with chunked.
 */
final class ConnectionGuard extends ChannelDuplexHandler {
  private final ConnectionGuards owner;
  final String address;
  /** Why this connection is refused ({@code null}: admitted). */
  final String overCapacity;
  private ChannelHandlerContext ctx;
  private boolean released;
  private boolean refusing;
  /** An undecodable request went up: it is answered 400 and the connection closed; nothing after it is read. */
  private boolean poisoned;

  /** Requests whose response has not ended (HTTP/1.1 pipelining can queue more than one). */
  private int open;
  private boolean inBody;
  private long bodyStart;
  private long lastBodyRead;
  /** Between requests: since when; and whether a next request's first byte has come (then the header clock runs). */
  private long idleSince;
  private boolean awaitingHeaders = true;
  private long headersSince;
  /** Since when the socket has been unwritable (0: writable). */
  private long stalledSince;

  ConnectionGuard(ConnectionGuards owner, String address, String overCapacity, long now) {
    this.owner = owner;
    this.address = address;
    this.overCapacity = overCapacity;
    this.headersSince = now;
    this.idleSince = now;
  }

  /** Sits before the decoder: notes that bytes of a next request arrived on an idle connection. */
  final ChannelInboundHandlerAdapter rawReads = new ChannelInboundHandlerAdapter() {
    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
      if (!awaitingHeaders && open == 0 && !inBody) {
        awaitingHeaders = true;
        headersSince = System.nanoTime();
      }
      c.fireChannelRead(msg);
    }
  };

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refusing || poisoned) { // nothing after an undecodable request: it may be a smuggled one
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest req) {
      if (overCapacity != null) {
        refuse(ctx, msg);
        return;
      }
      long now = System.nanoTime();
      awaitingHeaders = false;
      open++;
      inBody = !(msg instanceof LastHttpContent);
      bodyStart = now;
      lastBodyRead = now;
      String te = req.headers().get(HttpHeaderNames.TRANSFER_ENCODING);
      if (te != null && !endsWithChunked(te) && req.decoderResult().isSuccess()) {
        req.setDecoderResult(DecoderResult.failure(new StrictRequestDecoder.AmbiguousLength(
            "Transfer-Encoding must end with chunked (RFC 9112 section 6.3), got: " + clip(te))));
      }
      if (!req.decoderResult().isSuccess()) {
        poisoned = true;
        inBody = false;
      }
    } else if (msg instanceof HttpContent) {
      lastBodyRead = System.nanoTime();
      if (msg instanceof LastHttpContent) inBody = false;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof LastHttpContent && !informational(msg) && open > 0 && --open == 0) { // a response ended
      idleSince = System.nanoTime();
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    stalledSince = ctx.channel().isWritable() ? 0 : System.nanoTime();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  private void release() {
    if (released) return;
    released = true;
    owner.closed(this);
  }

  /** Checked by the sweep on this connection's event loop: the reason it must close now, or {@code null}. */
  String overdue(long now, HttpLimits l) {
    if (refusing) return null;
    if (stalledSince != 0 && l.writeStallTimeoutMs() > 0 && past(now, stalledSince, l.writeStallTimeoutMs())) {
      return "write_stall";
    }
    if (inBody) {
      if (l.bodyIdleTimeoutMs() > 0 && past(now, lastBodyRead, l.bodyIdleTimeoutMs())) return "body_idle";
      if (l.bodyTimeoutMs() > 0 && past(now, bodyStart, l.bodyTimeoutMs())) return "body_timeout";
      return null;
    }
    if (open > 0) return null; // being answered: the router's deadlines bound that
    if (awaitingHeaders) {
      return l.headerTimeoutMs() > 0 && past(now, headersSince, l.headerTimeoutMs()) ? "header_timeout" : null;
    }
    return l.keepAliveTimeoutMs() > 0 && past(now, idleSince, l.keepAliveTimeoutMs()) ? "keepalive_idle" : null;
  }

  io.netty.channel.EventLoop loop() {
    return ctx == null ? null : ctx.channel().eventLoop();
  }

  /**
   * Closes the socket now. From this handler's place in the pipeline, not the channel's tail: Vert.x's handler at the
   * tail closes gracefully, after its queued writes are flushed — never, for a client that does not read.
   */
  void close() {
    if (ctx != null) ctx.close();
  }

  private static boolean past(long now, long since, long limitMs) {
    return now - since > limitMs * 1_000_000L;
  }

  /** Over the caps: one 503 with the JSON error body, then close; the request never reaches Vert.x. */
  private void refuse(ChannelHandlerContext ctx, Object msg) {
    refusing = true;
    ReferenceCountUtil.release(msg);
    String id = RequestIds.honourOrNew(null);
    ByteBuf body = Unpooled.wrappedBuffer(Responses.openAiError(new ApiError(503, "overloaded", overCapacity
        + ": retry later", null, 1L, null), id).getBytes());
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, Responses.JSON).set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CONNECTION, "close").set(HttpHeaderNames.RETRY_AFTER, "1").set("x-request-id", id);
    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
  }

  /** {@code 100 Continue} is written as a full response but ends nothing. */
  private static boolean informational(Object msg) {
    return msg instanceof io.netty.handler.codec.http.HttpResponse r && r.status().code() < 200;
  }

  private static boolean endsWithChunked(String te) {
    int comma = te.lastIndexOf(',');
    return te.substring(comma + 1).trim().equalsIgnoreCase("chunked");
  }

  private static String clip(String s) {
    String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return new String(t.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
  }
}
