package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** One provider's wire format: request parsing, bodies, stream frames and error shapes. */
abstract class Protocol {

  /** A complete HTTP reply. */
  record Reply(int status, List<String[]> headers, Buffer body) {
    static Reply json(int status, String body, String contentType) {
      List<String[]> h = new ArrayList<>(4);
      h.add(new String[] {"content-type", contentType});
      return new Reply(status, h, Wire.buf(body));
    }

    Reply header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }
  }

  /** The frames of a streamed answer: head (sent at once), one frame per piece, then tail. */
  record Frames(Buffer head, List<Buffer> pieces, Buffer tail) {}

  static final class BadRequest extends Exception {
    /** The offending parameter (OpenAI's {@code param}), or null. */
    final String param;

    BadRequest(String message) {
      this(message, null);
    }

    BadRequest(String message, String param) {
      super(message, null, false, false);
      this.param = param;
    }
  }

  final String name;
  final AtomicLong ids = new AtomicLong();

  Protocol(String name) {
    this.name = name;
  }

  abstract boolean authorized(HttpServerRequest req);

  abstract Reply unauthorized(HttpServerRequest req);

  abstract IncomingChat parse(JsonNode body) throws BadRequest;

  abstract Reply badRequest(String message);

  Reply badRequest(BadRequest e) {
    return badRequest(e.getMessage());
  }

  /** The reply of an HTTP-status fault (also STREAM_ERROR for non-streaming requests). */
  abstract Reply faultReply(Fault f, IncomingChat r, int retryAfterSeconds);

  abstract Reply ok(IncomingChat r, Answer a);

  abstract Frames frames(IncomingChat r, Answer a);

  abstract String streamContentType();

  abstract Buffer malformedFrame();

  abstract Buffer streamErrorFrame();

  abstract Reply notFoundPath(String method, String path);

  /** Headers every response of this protocol carries (request ids). */
  abstract void commonHeaders(List<String[]> out);

  static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? "" : n.asText();
  }
}
