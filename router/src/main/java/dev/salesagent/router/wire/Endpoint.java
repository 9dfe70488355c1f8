package dev.salesagent.router.wire;

/**
 * One upstream URL, parsed when the adapter is built so that no request parses a URL. A URL that does not parse is
 * kept with its error, which then fails each call to it (as a call failure, not at start-up).
 */
public final class Endpoint {
  private final String url;
  private final UpstreamUrl parsed;
  private final String error;

  private Endpoint(String url, UpstreamUrl parsed, String error) {
    this.url = url;
    this.parsed = parsed;
    this.error = error;
  }

  public static Endpoint of(String url) {
    try {
      return new Endpoint(url, UpstreamUrl.parse(url), null);
    } catch (IllegalArgumentException e) {
      return new Endpoint(url, null, e.getMessage());
    }
  }

  public String url() {
    return url;
  }

  /** @throws IllegalArgumentException when the URL did not parse */
  UpstreamUrl parsed() {
    if (parsed == null) throw new IllegalArgumentException(error);
    return parsed;
  }

  @Override
  public String toString() {
    return url;
  }
}
