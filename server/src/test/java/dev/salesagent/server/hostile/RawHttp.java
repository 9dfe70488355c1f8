package dev.salesagent.server.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw loopback socket for requests no HTTP client would send (hostile-traffic tests). */
final class RawHttp implements AutoCloseable {
  final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  RawHttp(int port) throws IOException {
    this(port, 0);
  }

  /** With a small receive buffer ({@code > 0}): a client that does not read fills it at once. */
  RawHttp(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(15_000);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  RawHttp send(String ascii) throws IOException {
    out.write(ascii.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  /** Everything the server sends until it closes the connection (fails if it does not within the socket timeout). */
  String readToClose() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) b.write(buf, 0, n);
    return b.toString(StandardCharsets.UTF_8);
  }

  /** True once the server closed the connection (a read returns end of stream or a reset); reads what is there. */
  boolean closedByServer(int waitMs) throws IOException {
    socket.setSoTimeout(waitMs);
    byte[] buf = new byte[8192];
    try {
      while (true) {
        if (in.read(buf) < 0) return true;
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** One response read up to its end by content-length (keep-alive connections). */
  String readResponse() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      String s = b.toString(StandardCharsets.ISO_8859_1);
      int end = s.indexOf("\r\n\r\n");
      if (end >= 0) {
        int len = 0;
        for (String line : s.substring(0, end).split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) len = Integer.parseInt(line.substring(15).trim());
        }
        byte[] body = in.readNBytes(len);
        return s + new String(body, StandardCharsets.UTF_8);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
