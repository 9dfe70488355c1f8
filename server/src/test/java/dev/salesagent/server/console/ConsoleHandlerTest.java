package dev.salesagent.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.server.GatewayHarness;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /console}: the bundled files with their security and cache headers, gzip, revalidation, nothing else
 * reachable through it (no traversal, no unlisted file), and no data without a key.
 */
class ConsoleHandlerTest {
  static GatewayHarness h;

  @BeforeAll
  static void up() {
    h = new GatewayHarness();
  }

  @AfterAll
  static void down() {
    h.close();
  }

  @Test
  void theConsolePageIsServedWithASelfOnlyPolicyAndRevalidation() {
    for (String path : List.of("/console", "/console/", "/console/index.html")) {
      HttpResponse<String> r = h.get(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
      String csp = r.headers().firstValue("content-security-policy").orElseThrow();
      assertThat(csp).contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
          "frame-ancestors 'none'").doesNotContain("unsafe");
      assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
      assertThat(r.headers().firstValue("referrer-policy")).hasValue("no-referrer");
      assertThat(r.headers().firstValue("cache-control")).hasValue("no-cache");
      assertThat(r.body()).contains("<script type=\"module\" src=\"/console/app.js\">");
    }
    String etag = h.get("/console/app.js", null).headers().firstValue("etag").orElseThrow();
    HttpResponse<String> again = h.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/console/app.js"))
        .header("if-none-match", etag).GET().build());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void filesAreGzippedForClientsThatAcceptItAndIdenticalOnceInflated() throws IOException {
    for (String name : manifest()) {
      String path = "/console/" + name;
      HttpResponse<byte[]> plain = bytes(path, null);
      HttpResponse<byte[]> gz = bytes(path, "gzip, deflate, br");
      assertThat(plain.statusCode()).as(path).isEqualTo(200);
      assertThat(plain.headers().firstValue("content-encoding")).as(path).isEmpty();
      assertThat(gz.headers().firstValue("content-encoding")).as(path).hasValue("gzip");
      assertThat(gz.body().length).isLessThan(plain.body().length);
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
        assertThat(in.readAllBytes()).as(path).isEqualTo(plain.body());
      }
    }
    assertThat(bytes("/console/app.js", "gzip;q=0").headers().firstValue("content-encoding")).isEmpty();
  }

  @Test
  void everyModuleTheScriptsImportIsBundled() {
    List<String> names = manifest();
    Pattern imp = Pattern.compile("from '(\\.{1,2}/[^']+)'");
    for (String name : names) {
      if (!name.endsWith(".js")) continue;
      String js = h.get("/console/" + name, null).body();
      Matcher m = imp.matcher(js);
      while (m.find()) {
        String target = URI.create("http://x/console/" + name).resolve(m.group(1)).getPath().substring("/console/".length());
        assertThat(names).as(name + " imports " + m.group(1)).contains(target);
      }
    }
  }

  @Test
  void nothingOutsideTheBundleIsReachable() throws IOException {
    for (String path : List.of("/console/manifest.txt", "/console/../pom.xml", "/console/..%2f..%2fpom.xml",
        "/console/%2e%2e/%2e%2e/etc/passwd", "/console/views/../../logback.xml", "/console//etc/passwd",
        "/console/dev/salesagent/server/GatewayServer.class", "/console/app.js%00.html", "/console/APP.JS",
        "/console/views/", "/consolex", "/console/..\\..\\pom.xml")) {
      String resp = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String status = resp.substring(0, resp.indexOf("\r\n"));
      assertThat(status).as(path).matches("HTTP/1.1 (400|404) .*");
      assertThat(resp).as(path).doesNotContain("root:").doesNotContain("<project").doesNotContain("<configuration");
    }
    HttpResponse<String> post = h.post("/console", null, "x");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
  }

  @Test
  void theConsoleAddsNoWayToDataWithoutAKey() {
    assertThat(h.get("/v1/providers", null).statusCode()).isEqualTo(401);
    assertThat(h.get("/v1/admin/keys", null).statusCode()).isEqualTo(401);
    // the page carries no data of its own: no key, no provider, no figure is in any file
    for (String name : manifest()) {
      assertThat(h.get("/console/" + name, null).body()).doesNotContain(GatewayHarness.ADMIN_KEY).doesNotContain("test-key-a");
    }
  }

  static List<String> manifest() {
    List<String> out = new ArrayList<>(ConsoleAssets.bundled().all().keySet());
    assertThat(out).contains("index.html", "app.js", "console.css");
    return out;
  }

  static HttpResponse<byte[]> bytes(String path, String acceptEncoding) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.baseUrl() + path)).GET();
    if (acceptEncoding != null) b.header("accept-encoding", acceptEncoding);
    try {
      return HttpClientHolder.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class HttpClientHolder {
    static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newHttpClient();
  }

  static String raw(String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", h.gateway.port()), 5_000);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
