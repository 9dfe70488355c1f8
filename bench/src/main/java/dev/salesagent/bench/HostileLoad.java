package dev.salesagent.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 12's "/healthz answering within 100 ms throughout" hostile traffic, as a benchmark command (a performance goal,
 * so not a test): the gateway ({@link HostileGateway}: {@code serve}'s HTTP limits, a {@code Firehose} upstream) in a
 * process of its own with {@code serve}'s JVM flags ({@code --process separate}, the default) or in this JVM
 * ({@code --process same}), then one attack after another for a bounded time each, while a probe sends {@code GET /healthz} every 50 ms on its own
 * kept-alive connection. Per attack it prints the probe's latency (p50 / p99 / max, and how many were over 100 ms),
 * probe failures, the heap used after a full GC, the process RSS and the connections still open at the end (while the
 * attacker still holds its sockets). Loopback only; every loop ends at its attack's deadline.
 *
 * <p>Run with {@code bin/sales-agent serve}'s JVM flags (docs/PERFORMANCE.md "Commands"). Flags: {@code --process
 * separate|same}, {@code --gateway-cpus} (a {@code taskset -c} list for the separate gateway process, e.g. {@code 1}),
 * {@code --seconds}
 * per attack (10), {@code --sockets} header-only sockets per wave (500), {@code --slowloris} (200), {@code --chunked}
 * (100), {@code --streams} non-reading stream clients (20), {@code --methods} random method names (20000);
 * {@code --warmup} seconds of normal chat traffic before the attacks, as {@code serve} warms up (20; 0: none);
 * {@code --attacks} which attacks, in which order (a comma-separated list of
 * {@code idle,sockets,slowloris,chunked,streams,methods}, the default; one may repeat);
 * {@code --gateway-jvm} extra JVM flags for the separate gateway process, space-separated (e.g. a GC log or JFR).
 */
public final class HostileLoad {
  private static final String KEY = HostileGateway.KEY;
  /** The attacks, in the order they run; {@code --attacks} picks some of them. */
  private static final List<String> ATTACKS = List.of("idle", "sockets", "slowloris", "chunked", "streams", "methods");
  private static final String CHAT = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";

  private final int port;
  private final long seconds;
  private final HostileTarget target;
  private final Probe probe;
  private final List<String> rows = new ArrayList<>();

  private HostileLoad(long seconds, HostileTarget target) {
    this.port = target.port();
    this.seconds = seconds;
    this.target = target;
    this.probe = new Probe(port);
  }

  /** The bench jar has no logback.xml: logback's default is DEBUG to the console. */
  static void quietLogging() {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
  }

  public static void main(String[] args) throws Exception {
    quietLogging();
    Map<String, Integer> o = new java.util.HashMap<>(Map.of("seconds", 10, "sockets", 500, "slowloris", 200,
        "chunked", 100, "streams", 20, "methods", 20_000, "warmup", 20));
    String process = "separate";
    String cpus = "";
    List<String> jvm = List.of();
    List<String> attacks = ATTACKS;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String k = args[i].replaceFirst("^--", "");
      if (k.equals("process")) process = args[i + 1];
      else if (k.equals("gateway-cpus")) cpus = args[i + 1];
      else if (k.equals("gateway-jvm")) jvm = List.of(args[i + 1].trim().split("\\s+"));
      else if (k.equals("attacks")) attacks = List.of(args[i + 1].split(","));
      else if (!o.containsKey(k)) {
        throw new IllegalArgumentException("unknown flag " + args[i] + "; known: process, gateway-cpus, gateway-jvm, "
            + "attacks, " + o.keySet());
      } else o.put(k, Integer.parseInt(args[i + 1]));
    }
    if (!ATTACKS.containsAll(attacks)) throw new IllegalArgumentException("--attacks takes a list of " + ATTACKS);
    if (!process.equals("separate") && !process.equals("same")) {
      throw new IllegalArgumentException("--process must be separate or same, got " + process);
    }
    HostileTarget target = process.equals("same") ? HostileGateway.start() : ChildHostileGateway.start(cpus, jvm);
    HostileLoad h = new HostileLoad(o.get("seconds"), target);
    Thread probeThread = new Thread(h.probe, "healthz-probe");
    probeThread.setDaemon(true);
    probeThread.start();
    try {
      System.out.printf("HostileLoad: gateway in %s process%s, %d s per attack, probe GET /healthz every 50 ms%n",
          process.equals("same") ? "the attacker's" : "a separate", cpus.isEmpty() ? "" : " on CPUs " + cpus, h.seconds);
      if (o.get("warmup") > 0) System.out.println("warm-up: " + h.warmUp(o.get("warmup")));
      h.row(String.format("%-44s %6s %6s %6s %6s %5s %5s %7s %6s %6s  %s", "attack", "p50ms", "p99ms", "maxms",
          ">100", "n", "fail", "heapMB", "rssMB", "open", "notes"));
      for (String a : attacks) {
        switch (a) {
          case "idle" -> h.phase("idle (baseline)", p -> "");
          case "sockets" -> h.phase(o.get("sockets") + " header-only sockets/s, CL 8000000, no key",
              p -> h.headerOnly(o.get("sockets"), p));
          case "slowloris" -> h.phase(o.get("slowloris") + " slowloris, 1 byte/s", p -> h.slowloris(o.get("slowloris"), p));
          case "chunked" -> h.phase(o.get("chunked") + " endless chunked bodies", p -> h.endlessChunked(o.get("chunked"), p));
          case "streams" -> h.phase(o.get("streams") + " non-reading streams, Firehose upstream",
              p -> h.stalledStreams(o.get("streams"), p));
          case "methods" -> h.phase(o.get("methods") + " random method names", p -> h.randomMethods(o.get("methods"), p));
          default -> throw new IllegalStateException(a);
        }
      }
      System.out.println("--- summary (the gateway's own log lines may be interleaved above) ---");
      h.rows.forEach(System.out::println);
    } finally {
      h.probe.stop();
      target.close();
    }
  }

  private void phase(String name, AttackBody body) throws Exception {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
    List<Socket> held = new ArrayList<>();
    probe.take();
    target.lag();
    String notes;
    try {
      notes = body.run(new Phase(deadline, held));
      sleepUntil(deadline);
    } catch (Exception e) {
      notes = "attack failed: " + e;
    }
    long slowestAt = probe.slowestSentAt();
    long[] lat = probe.take();
    String lag = target.lag();
    if (slowestAt != 0) { // when, to find it in the gateway's GC log or JFR recording, and its event loops' worst lag
      java.time.Instant at = java.time.Instant.now().minusNanos(System.nanoTime() - slowestAt);
      notes = String.format("max at +%.2f s (%s); event-loop lag: %s; %s", (slowestAt - start) / 1e9,
          java.time.LocalTime.ofInstant(at, java.time.ZoneOffset.UTC), lag, notes);
    }
    int failures = probe.failures.getAndSet(0);
    double open = openConnections(); // before the GC of stats(), as the attacker still holds its sockets
    HostileTarget.Stats st = target.stats(true);
    long heap = st.heapBytes();
    long rss = st.rssKb();
    for (Socket s : held) closeQuietly(s);
    Arrays.sort(lat);
    long over = Arrays.stream(lat).filter(n -> n > 100_000_000L).count();
    row(String.format("%-44s %6.1f %6.1f %6.1f %6d %5d %5d %7d %6d %6.0f  %s", name, ms(pct(lat, 0.50)),
        ms(pct(lat, 0.99)), ms(lat.length == 0 ? 0 : lat[lat.length - 1]), over, lat.length, failures, heap >> 20,
        rss >> 10, open, notes));
    // let the server see the attacker's sockets close before the next attack (bounded)
    long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (openConnections() > 1 && System.nanoTime() < settle) Thread.sleep(100);
  }

  private void row(String line) {
    rows.add(line);
    System.out.println(line);
  }

  /** An attack: runs until its phase's deadline, leaves the sockets it still holds in the phase's list. */
  interface AttackBody {
    String run(Phase p) throws Exception;
  }

  record Phase(long deadline, List<Socket> held) {
    boolean running() { return System.nanoTime() < deadline; }
  }

  /**
   * Normal traffic before the attacks, as {@code serve}'s warm-up runs before it listens (docs/OPERATIONS.md): chat
   * completions, streaming (16 KB answers, read to the end) and not, 8 in flight, for {@code seconds}; so the attacks
   * meet compiled code, not the JIT compiling the stream path on the gateway's two cores.
   */
  private String warmUp(int seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      boolean stream = t % 2 == 0;
      Thread th = new Thread(() -> {
        String body = "{\"model\":\"short/fire\",\"stream\":" + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"warm up\"}]}";
        String req = CHAT + "Authorization: Bearer " + KEY + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        Conn c = null;
        while (System.nanoTime() < end) {
          try {
            if (c == null) c = new Conn(port);
            Response r = c.exchange(req);
            (r.status() == 200 ? ok : failed).incrementAndGet();
            if (r.close()) {
              c.close();
              c = null;
            }
          } catch (IOException e) {
            failed.incrementAndGet();
            if (c != null) c.close();
            c = null;
          }
        }
        if (c != null) c.close(); // nothing of the warm-up stays open into the attacks
      }, "warmup-" + t);
      th.start();
      workers.add(th);
    }
    for (Thread th : workers) th.join();
    return String.format("%d s of chat completions (streaming and not), %d answered 200, %d not", seconds, ok.get(),
        failed.get());
  }

  /** Waves of sockets that send only headers announcing an 8 MB body, without a key; a new wave every second. */
  private String headerOnly(int n, Phase p) throws IOException, InterruptedException {
    byte[] head = (CHAT + "Content-Length: 8000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    int opened = 0;
    while (p.running()) {
      long next = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      for (Socket s : p.held()) closeQuietly(s);
      p.held().clear();
      for (int i = 0; i < n && p.running(); i++, opened++) p.held().add(send(connect(0), head));
      sleepUntil(Math.min(next, p.deadline()));
    }
    return opened + " sockets opened";
  }

  /** Request headers that never end, one byte per second per connection; a connection cut is replaced. */
  private String slowloris(int n, Phase p) throws IOException, InterruptedException {
    byte[] start = "POST /v1/chat/completions HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
    return trickle(n, p, start, "a".getBytes(StandardCharsets.US_ASCII), 1_000);
  }

  /** Chunked bodies (with a valid key) that never end: a one-byte chunk every 100 ms per connection. */
  private String endlessChunked(int n, Phase p) throws IOException, InterruptedException {
    byte[] head = (CHAT + "Authorization: Bearer " + KEY + "\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    return trickle(n, p, head, "1\r\n \r\n".getBytes(StandardCharsets.US_ASCII), 100);
  }

  private String trickle(int n, Phase p, byte[] start, byte[] drip, long everyMs) throws IOException, InterruptedException {
    for (int i = 0; i < n; i++) p.held().add(send(connect(0), start));
    int cut = 0;
    while (p.running()) {
      sleepUntil(Math.min(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(everyMs), p.deadline()));
      for (int i = 0; i < n && p.running(); i++) {
        try {
          send(p.held().get(i), drip);
        } catch (IOException closedByServer) {
          cut++;
          closeQuietly(p.held().get(i));
          p.held().set(i, send(connect(0), start));
        }
      }
    }
    return cut + " cut and replaced";
  }

  /** Streaming chat requests whose clients never read (4 KB receive buffer), against an upstream that never ends. */
  private String stalledStreams(int n, Phase p) throws Exception {
    String body = "{\"model\":\"firehose/fire\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    byte[] req = (CHAT + "Authorization: Bearer " + KEY + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
        .getBytes(StandardCharsets.US_ASCII);
    long bytesBefore = target.stats(false).upstreamBytes();
    for (int i = 0; i < n; i++) p.held().add(send(connect(4096), req));
    // the status each got (its first bytes only: the client still reads nothing else), so a refusal is not mistaken
    // for a stalled stream
    sleepUntil(Math.min(p.deadline(), System.nanoTime() + TimeUnit.SECONDS.toNanos(1)));
    Map<String, Integer> statuses = new java.util.TreeMap<>();
    for (Socket s : p.held()) {
      String status;
      try {
        s.setSoTimeout(1_000);
        byte[] head = new byte[12];
        int got = s.getInputStream().readNBytes(head, 0, head.length);
        status = got == head.length ? new String(head, 9, 3, StandardCharsets.US_ASCII) : "closed";
      } catch (IOException e) {
        status = "none";
      }
      statuses.merge(status, 1, Integer::sum);
    }
    sleepUntil(p.deadline());
    HostileTarget.Stats after = target.stats(false);
    return String.format("statuses %s, %d upstream streams open, %d KB taken per stream", statuses,
        after.upstreamStreams(), (after.upstreamBytes() - bytesBefore) / n / 1024);
  }

  /** Requests with random 8-letter method names over kept-alive connections, 4 senders; series count before/after. */
  private String randomMethods(int total, Phase p) throws Exception {
    int seriesBefore = target.stats(false).meters();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger non4xx = new AtomicInteger();
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        Conn c = null;
        while (sent.get() < total && p.running()) {
          try {
            if (c == null) c = new Conn(port);
            StringBuilder m = new StringBuilder(8);
            for (int i = 0; i < 8; i++) m.append((char) ('A' + ThreadLocalRandom.current().nextInt(26)));
            sent.incrementAndGet();
            Response r = c.exchange(m + " /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            if (r.status() < 400 || r.status() >= 500) non4xx.incrementAndGet();
            if (r.close()) {
              c.close();
              c = null;
            }
          } catch (IOException e) {
            if (c != null) c.close();
            c = null;
          }
        }
        if (c != null) c.close();
      }, "methods-" + t);
      th.start();
      senders.add(th);
    }
    for (Thread th : senders) th.join();
    return String.format("%d sent, %d answered other than 4xx, meters %d -> %d", sent.get(), non4xx.get(),
        seriesBefore, target.stats(false).meters());
  }

  private double openConnections() throws Exception {
    return target.openConnections();
  }

  private Socket connect(int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return s;
  }

  private static Socket send(Socket s, byte[] bytes) throws IOException {
    s.getOutputStream().write(bytes);
    s.getOutputStream().flush();
    return s;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignore) {
      // already gone
    }
  }

  private static void sleepUntil(long deadline) throws InterruptedException {
    long left = deadline - System.nanoTime();
    if (left > 0) TimeUnit.NANOSECONDS.sleep(left);
  }

  private static long pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  record Response(int status, boolean close) {}

  /** One kept-alive client connection that reads whole responses (by Content-Length, or chunked). */
  static final class Conn {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Conn(int port) throws IOException {
      socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
    }

    Response exchange(String request) throws IOException {
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int c;
      int state = 0; // matched bytes of \r\n\r\n
      while (state < 4 && (c = in.read()) >= 0) {
        head.write(c);
        state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1
            : c == '\r' ? 1 : 0;
      }
      if (state < 4) throw new IOException("closed before a whole response");
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      long length = 0;
      boolean close = false;
      boolean chunked = false;
      for (String line : lines) {
        String l = line.toLowerCase();
        if (l.startsWith("content-length:")) length = Long.parseLong(l.substring(15).trim());
        if (l.startsWith("connection:") && l.contains("close")) close = true;
        if (l.startsWith("transfer-encoding:") && l.contains("chunked")) chunked = true;
      }
      if (!chunked) {
        in.skipNBytes(length);
      } else { // chunk-size line, data and CRLF, up to the last (empty) chunk and its CRLF (no trailers here)
        for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) in.skipNBytes(size + 2);
        line();
      }
      return new Response(status, close);
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) throw new IOException("closed inside a chunked body");
        if (c != '\r') sb.append((char) c);
      }
      return sb.toString();
    }

    void close() {
      closeQuietly(socket);
    }
  }

  /** GET /healthz every 50 ms on its own connection; latencies of the current attack, failures (reconnects). */
  static final class Probe implements Runnable {
    private final int port;
    private final AtomicInteger failures = new AtomicInteger();
    private long[] samples = new long[1024];
    private long slowestSentAt;
    private long slowest = -1;
    private int count;
    private volatile boolean stopped;

    Probe(int port) {
      this.port = port;
    }

    synchronized long[] take() {
      long[] out = Arrays.copyOf(samples, count);
      count = 0;
      slowest = -1;
      return out;
    }

    /** When the slowest probe since the last {@link #take} was sent (System.nanoTime), 0 when none. */
    synchronized long slowestSentAt() {
      return slowest < 0 ? 0 : slowestSentAt;
    }

    private synchronized void record(long sent, long nanos) {
      if (count == samples.length) samples = Arrays.copyOf(samples, count * 2);
      samples[count++] = nanos;
      if (nanos > slowest) {
        slowest = nanos;
        slowestSentAt = sent;
      }
    }

    void stop() {
      stopped = true;
    }

    @Override
    public void run() {
      Conn c = null;
      long next = System.nanoTime();
      while (!stopped) {
        try {
          if (c == null) c = new Conn(port);
          long t0 = System.nanoTime();
          Response r = c.exchange("GET /healthz HTTP/1.1\r\nHost: probe\r\n\r\n");
          record(t0, System.nanoTime() - t0);
          if (r.status() != 200) failures.incrementAndGet();
          if (r.close()) {
            c.close();
            c = null;
          }
        } catch (IOException e) {
          failures.incrementAndGet();
          if (c != null) c.close();
          c = null;
        }
        next += TimeUnit.MILLISECONDS.toNanos(50);
        try {
          sleepUntil(next);
        } catch (InterruptedException e) {
          return;
        }
        if (System.nanoTime() > next) next = System.nanoTime(); // a slow answer does not cause a burst after it
      }
      if (c != null) c.close();
    }
  }
}
