package dev.salesagent.router.wire;

import dev.salesagent.router.error.ErrorKind;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * What HTTP and the transport say, without any provider's vocabulary: the kind an error status means, connect and
 * reset failures. What an error body means is {@link ErrorMapper}'s (with the
 * providers' dialects); how long to wait is {@link RetryAfter}'s.
 */
public final class HttpErrorMapper {
  private HttpErrorMapper() {}

  private static final int MAX_MESSAGE = 500;

  /**
   * The kind an error status means. A 429 is {@code overloaded} when the body shows an overload (the provider is busy,
   * not we too fast) and {@code authentication} when it shows the account is out of credit (waiting does not help);
   * any other 5xx but 503/529 is {@code overloaded} when the body says so.
   */
  public static ErrorKind kindForStatus(int status, boolean overloadSign, boolean outOfCreditSign) {
    return switch (status) {
      case 401, 402, 403 -> ErrorKind.AUTHENTICATION;
      case 404 -> ErrorKind.NOT_FOUND;
      case 429 -> overloadSign ? ErrorKind.OVERLOADED
          : outOfCreditSign ? ErrorKind.AUTHENTICATION
          : ErrorKind.RATE_LIMITED;
      case 400, 413, 422 -> ErrorKind.INVALID_REQUEST;
      case 503, 529 -> ErrorKind.OVERLOADED;
      case 408, 409 -> ErrorKind.UPSTREAM_ERROR;
      default -> status >= 500 ? (overloadSign ? ErrorKind.OVERLOADED : ErrorKind.UPSTREAM_ERROR)
          : status >= 400 ? ErrorKind.INVALID_REQUEST
          : ErrorKind.UPSTREAM_ERROR;
    };
  }

  /**
   * A transport failure.
   *
   * @param afterHeaders whether response headers had arrived (then a cut connection is {@code interrupted})
   */
  public static WireFailure fromTransport(Throwable t, boolean afterHeaders) {
    String what = describe(t);
    if (afterHeaders) return WireFailure.of(ErrorKind.INTERRUPTED, WireFailure.STREAM_TRUNCATED, "connection lost mid-body: " + what);
    if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
        || t instanceof SSLException) {
      return WireFailure.of(ErrorKind.UNAVAILABLE, "connect_failed", "cannot connect: " + what);
    }
    if (t instanceof java.util.concurrent.TimeoutException) { // Vert.x: no connection within connectMs
      return WireFailure.of(ErrorKind.UNAVAILABLE, "connect_failed", "cannot connect in time: " + what);
    }
    if (t instanceof HttpClosedException || t instanceof StreamResetException || t instanceof ClosedChannelException
        || t instanceof IOException) {
      return WireFailure.of(ErrorKind.UNAVAILABLE, "connection_reset", "connection closed before a response: " + what);
    }
    String m = lower(t.getMessage());
    if (m != null && (m.contains("connection reset") || m.contains("closed") || m.contains("refused"))) {
      return WireFailure.of(ErrorKind.UNAVAILABLE, "connection_reset", "connection closed before a response: " + what);
    }
    return WireFailure.of(ErrorKind.UNAVAILABLE, "transport_error", "transport failure: " + what);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : " (" + truncate(m) + ")");
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  static String truncate(String s) {
    if (s == null) return null;
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
  }
}
