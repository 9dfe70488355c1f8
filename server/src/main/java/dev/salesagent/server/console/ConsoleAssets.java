package dev.salesagent.server.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The console's static files, read once from the jar ({@code console/} on the classpath, the files named in
 * {@code console/manifest.txt}) into memory with their gzip form and an ETag. Only those names are ever served: a
 * request path is a map key, never a file-system or classpath path, so no {@code ..}, encoded slash or absolute path
 * can reach anything else.
 */
public final class ConsoleAssets {
  /** One file: its bytes, its gzip bytes ({@code null} when gzip does not make it smaller), its type and ETag. */
  public record Asset(String name, byte[] bytes, byte[] gzip, String contentType, String etag) {}

  private final Map<String, Asset> byName;

  private ConsoleAssets(Map<String, Asset> byName) {
    this.byName = Map.copyOf(byName);
  }

  /** The jar's console, loaded on first use (once per process: every event loop's dispatcher shares it). */
  public static ConsoleAssets bundled() {
    return Bundled.ASSETS;
  }

  private static final class Bundled {
    static final ConsoleAssets ASSETS = load();
  }

  /** Loads every file the manifest lists; a listed file missing from the jar is a build error, reported here. */
  public static ConsoleAssets load() {
    ClassLoader cl = ConsoleAssets.class.getClassLoader();
    String manifest = new String(read(cl, "console/manifest.txt"), StandardCharsets.UTF_8);
    Map<String, Asset> m = new HashMap<>();
    for (String line : manifest.split("\n")) {
      String name = line.trim();
      if (name.isEmpty() || name.startsWith("#")) continue;
      byte[] bytes = read(cl, "console/" + name);
      byte[] gz = gzip(bytes);
      m.put(name, new Asset(name, bytes, gz.length < bytes.length ? gz : null, type(name), etag(bytes)));
    }
    return new ConsoleAssets(m);
  }

  /** The file served for a path below {@code /console/}, or {@code null}. */
  public Asset get(String name) {
    return byName.get(name);
  }

  public Map<String, Asset> all() {
    return byName;
  }

  static String type(String name) {
    if (name.endsWith(".html")) return "text/html; charset=utf-8";
    if (name.endsWith(".js")) return "text/javascript; charset=utf-8";
    if (name.endsWith(".css")) return "text/css; charset=utf-8";
    if (name.endsWith(".svg")) return "image/svg+xml";
    if (name.endsWith(".json")) return "application/json";
    throw new IllegalStateException("console/manifest.txt lists " + name + ", a file type the console does not serve");
  }

  private static byte[] read(ClassLoader cl, String resource) {
    try (InputStream in = cl.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("the console asset " + resource + " is missing from the jar");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
