package dev.salesagent.bench;

import dev.salesagent.emulator.Firehose;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.budget.InMemoryBudgetCounters;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.routing.UsageSink;
import dev.salesagent.server.Gateway;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.GatewayServer;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.KeyRegistry;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ProviderStatusSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 12's "/healthz answering within 100 ms throughout" hostile traffic, as a benchmark command (a performance goal,
 * so not a test): the gateway in-process with {@code serve}'s HTTP limits, over a {@link Firehose} upstream, then one
 * attack after another for a bounded time each, while a probe sends {@code GET /healthz} every 50 ms on its own
 * kept-alive connection. Per attack it prints the probe's latency (p50 / p99 / max, and how many were over 100 ms),
 * probe failures, the heap used after a full GC, the process RSS and the connections still open at the end (while the
 * attacker still holds its sockets). Loopback only; every loop ends at its attack's deadline.
 *
 * <p>Run with {@code bin/sales-agent serve}'s JVM flags (docs/PERFORMANCE.md "Commands"). Flags: {@code --seconds}
 * per attack (10), {@code --sockets} header-only sockets per wave (500), {@code --slowloris} (200), {@code --chunked}
 * (100), {@code --streams} non-reading stream clients (20), {@code --methods} random method names (20000).
 */
public final class HostileLoad {
  private static final String KEY = "sk-bench-hostile-0123456789";
  private static final String CHAT = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";

  private final int port;
  private final long seconds;
  private final PrometheusMeterRegistry registry;
  private final Firehose fire;
  private final Probe probe;
  private final List<String> rows = new ArrayList<>();

  private HostileLoad(int port, long seconds, PrometheusMeterRegistry registry, Firehose fire) {
    this.port = port;
    this.seconds = seconds;
    this.registry = registry;
    this.fire = fire;
    this.probe = new Probe(port);
  }

  public static void main(String[] args) throws Exception {
    // the bench jar has no logback.xml: logback's default is DEBUG to the console
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Map<String, Integer> o = new java.util.HashMap<>(Map.of("seconds", 10, "sockets", 500, "slowloris", 200,
        "chunked", 100, "streams", 20, "methods", 20_000));
    for (int i = 0; i + 1 < args.length; i += 2) {
      String k = args[i].replaceFirst("^--", "");
      if (!o.containsKey(k)) throw new IllegalArgumentException("unknown flag " + args[i] + "; known: " + o.keySet());
      o.put(k, Integer.parseInt(args[i + 1]));
    }
    Vertx upstream = Vertx.vertx();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = GatewayServer.newVertx(registry, 2);
    Firehose fire = await(Firehose.start(upstream, 0));
    Gateway gateway = await(startGateway(vertx, registry, fire));
    HostileLoad h = new HostileLoad(gateway.port(), o.get("seconds"), registry, fire);
    Thread probeThread = new Thread(h.probe, "healthz-probe");
    probeThread.setDaemon(true);
    probeThread.start();
    try {
      System.out.printf("HostileLoad: %d s per attack, probe GET /healthz every 50 ms, max heap %d MB%n",
          h.seconds, Runtime.getRuntime().maxMemory() >> 20);
      h.row(String.format("%-44s %6s %6s %6s %6s %5s %5s %7s %6s %6s  %s", "attack", "p50ms", "p99ms", "maxms",
          ">100", "n", "fail", "heapMB", "rssMB", "open", "notes"));
      h.phase("idle (baseline)", p -> "");
      h.phase(o.get("sockets") + " header-only sockets/s, CL 8000000, no key", p -> h.headerOnly(o.get("sockets"), p));
      h.phase(o.get("slowloris") + " slowloris, 1 byte/s", p -> h.slowloris(o.get("slowloris"), p));
      h.phase(o.get("chunked") + " endless chunked bodies", p -> h.endlessChunked(o.get("chunked"), p));
      h.phase(o.get("streams") + " non-reading streams, Firehose upstream", p -> h.stalledStreams(o.get("streams"), p));
      h.phase(o.get("methods") + " random method names", p -> h.randomMethods(o.get("methods"), p));
      System.out.println("--- summary (the gateway's own log lines may be interleaved above) ---");
      h.rows.forEach(System.out::println);
    } finally {
      h.probe.stop();
      await(gateway.shutdown(Duration.ofSeconds(2)));
      vertx.close();
      await(fire.close());
      upstream.close();
    }
  }

  /** The server's parts without a store, as the server module's test harness builds them; serve's HTTP limits. */
  private static Future<Gateway> startGateway(Vertx vertx, PrometheusMeterRegistry registry, Firehose fire) {
    String yaml = "providers:\n  firehose:\n    kind: openai-compatible\n    base_url: " + fire.baseUrl() + "\n"
        + "    models:\n      fire: {context_window: 128000, input_usd_per_mtok: 0.1, output_usd_per_mtok: 0.1}\n"
        + "budgets: {daily_usd: 100000, monthly_usd: 1000000}\n";
    RouterConfig cfg = ConfigLoader.loadLayers(List.of(yaml), "hostile.yaml", Map.of());
    KeyRegistry keys = new KeyRegistry(vertx, null, KEY);
    InMemoryBudgetCounters budgets = new InMemoryBudgetCounters(cfg.budgets().limits(), keys::limitsFor);
    RouterRuntime runtime = RouterRuntime.create(vertx, cfg, registry, UsageSink.NONE, budgets);
    GatewayOptions options = GatewayOptions.defaults().withPort(0).withHost("127.0.0.1").withEventLoops(2);
    GatewayServices services = new GatewayServices(runtime.router(), new ModelCatalog(cfg),
        ProviderStatusSource.fromRuntime(runtime), keys, null, null, budgets, null, registry, options);
    return Gateway.start(vertx, services, runtime, null, List.of());
  }

  private void phase(String name, AttackBody body) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Socket> held = new ArrayList<>();
    probe.take();
    String notes;
    try {
      notes = body.run(new Phase(deadline, held));
      sleepUntil(deadline);
    } catch (Exception e) {
      notes = "attack failed: " + e;
    }
    long[] lat = probe.take();
    int failures = probe.failures.getAndSet(0);
    double open = openConnections();
    long heap = heapAfterGc();
    long rss = rssKb();
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
  private String stalledStreams(int n, Phase p) throws IOException, InterruptedException {
    String body = "{\"model\":\"firehose/fire\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    byte[] req = (CHAT + "Authorization: Bearer " + KEY + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
        .getBytes(StandardCharsets.US_ASCII);
    long bytesBefore = fire.bytesWritten();
    for (int i = 0; i < n; i++) p.held().add(send(connect(4096), req));
    sleepUntil(p.deadline());
    return String.format("%d upstream streams open, %d KB taken per stream", fire.openStreams(),
        (fire.bytesWritten() - bytesBefore) / n / 1024);
  }

  /** Requests with random 8-letter method names over kept-alive connections, 4 senders; series count before/after. */
  private String randomMethods(int total, Phase p) throws Exception {
    int seriesBefore = registry.getMeters().size();
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
        seriesBefore, registry.getMeters().size());
  }

  private double openConnections() {
    Gauge g = registry.find("vertx.http.server.active.connections").gauge();
    return g == null ? Double.NaN : g.value();
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

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** VmRSS of this process in KB (Linux), -1 elsewhere. */
  private static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static long pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  record Response(int status, boolean close) {}

  /** One kept-alive client connection that reads whole responses (by Content-Length). */
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
      for (String line : lines) {
        String l = line.toLowerCase();
        if (l.startsWith("content-length:")) length = Long.parseLong(l.substring(15).trim());
        if (l.startsWith("connection:") && l.contains("close")) close = true;
      }
      in.skipNBytes(length);
      return new Response(status, close);
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
    private int count;
    private volatile boolean stopped;

    Probe(int port) {
      this.port = port;
    }

    synchronized long[] take() {
      long[] out = Arrays.copyOf(samples, count);
      count = 0;
      return out;
    }

    private synchronized void record(long nanos) {
      if (count == samples.length) samples = Arrays.copyOf(samples, count * 2);
      samples[count++] = nanos;
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
          record(System.nanoTime() - t0);
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
