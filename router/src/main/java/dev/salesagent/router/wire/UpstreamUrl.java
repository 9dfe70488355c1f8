package dev.salesagent.router.wire;

import dev.salesagent.router.error.Redaction;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Locale;

/**
 * An upstream URL taken apart the way the HTTP client wants it — host, port, TLS, request target — once per URL
 * rather than on every request. Parsed as {@link java.net.URL}, as the client's own absolute-URI option does, so a
 * host name {@link java.net.URI} would refuse (an underscore in a container name) still works.
 */
record UpstreamUrl(String host, int port, boolean ssl, String pathAndQuery) {

  /** @throws IllegalArgumentException for a URL that is not absolute {@code http(s)://host[:port][/path][?query]} */
  static UpstreamUrl parse(String url) {
    URL u;
    try {
      u = new URL(url);
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a valid upstream URL: " + Redaction.url(url), e);
    }
    String scheme = u.getProtocol().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("upstream URL must start with http:// or https://: " + Redaction.url(url));
    }
    if (u.getHost() == null || u.getHost().isEmpty()) throw new IllegalArgumentException("upstream URL has no host: " + Redaction.url(url));
    boolean ssl = scheme.equals("https");
    int port = u.getPort() >= 0 ? u.getPort() : ssl ? 443 : 80;
    String target = u.getFile() == null || u.getFile().isEmpty() ? "/" : u.getFile();
    return new UpstreamUrl(u.getHost(), port, ssl, target);
  }
}
