package dev.salesagent.emulator;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A deliberately dumb HTTP/1.1 client over a raw socket, so tests see exactly what went over the wire. */
final class RawHttp {
  static final class Result {
    int status = -1;
    final Map<String, String> headers = new LinkedHashMap<>();
    byte[] raw = new byte[0];
    String body = "";
    /** The server closed the connection (EOF). */
    boolean eof;
    /** The read timed out with the connection still open. */
    boolean timedOut;
    /** The body was complete: content-length reached or terminating chunk seen. */
    boolean complete;

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return "status=" + status + " eof=" + eof + " timedOut=" + timedOut + " complete=" + complete + " headers=" + headers + "\n" + body;
    }
  }

  static Result post(int port, String path, Map<String, String> headers, String json, int readTimeoutMs) throws Exception {
    return exchange(port, "POST", path, headers, json, readTimeoutMs);
  }

  static Result get(int port, String path, Map<String, String> headers, int readTimeoutMs) throws Exception {
    return exchange(port, "GET", path, headers, null, readTimeoutMs);
  }

  static Result exchange(int port, String method, String path, Map<String, String> headers, String body, int readTimeoutMs) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(readTimeoutMs);
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      StringBuilder req = new StringBuilder();
      req.append(method).append(' ').append(path).append(" HTTP/1.1\r\nhost: 127.0.0.1:").append(port).append("\r\nconnection: close\r\n");
      if (headers != null) headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      if (body != null) req.append("content-type: application/json\r\ncontent-length: ").append(b.length).append("\r\n");
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.write(b);
      out.flush();
      Result r = new Result();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        while (true) {
          int n = in.read(buf);
          if (n < 0) {
            r.eof = true;
            break;
          }
          all.write(buf, 0, n);
          if (parsedComplete(all.toByteArray())) {
            // keep reading to EOF (connection: close) but do not wait long
            s.setSoTimeout(Math.min(readTimeoutMs, 2000));
          }
        }
      } catch (SocketTimeoutException e) {
        r.timedOut = true;
      } catch (java.net.SocketException e) {
        r.eof = true; // connection reset
      }
      r.raw = all.toByteArray();
      parse(r);
      return r;
    }
  }

  private static boolean parsedComplete(byte[] bytes) {
    Result r = new Result();
    r.raw = bytes;
    parse(r);
    return r.complete;
  }

  private static int indexOf(byte[] a, byte[] pat, int from) {
    outer:
    for (int i = from; i <= a.length - pat.length; i++) {
      for (int j = 0; j < pat.length; j++) if (a[i + j] != pat[j]) continue outer;
      return i;
    }
    return -1;
  }

  static void parse(Result r) {
    byte[] a = r.raw;
    int headEnd = indexOf(a, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
    if (headEnd < 0) return;
    String head = new String(a, 0, headEnd, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    r.status = Integer.parseInt(lines[0].split(" ")[1]);
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      r.headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
    }
    int pos = headEnd + 4;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(r.header("transfer-encoding"))) {
      while (true) {
        int le = indexOf(a, "\r\n".getBytes(StandardCharsets.US_ASCII), pos);
        if (le < 0) break;
        int size = Integer.parseInt(new String(a, pos, le - pos, StandardCharsets.US_ASCII).trim(), 16);
        if (size == 0) {
          r.complete = true;
          break;
        }
        int start = le + 2;
        int end = Math.min(a.length, start + size);
        body.write(a, start, end - start);
        if (end < start + size) break;
        pos = start + size + 2;
      }
    } else {
      String cl = r.header("content-length");
      int len = a.length - pos;
      body.write(a, pos, len);
      r.complete = cl != null && len >= Integer.parseInt(cl);
    }
    r.body = body.toString(StandardCharsets.UTF_8);
  }
}
