package dev.salesagent.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link HostileGateway} in a JVM of its own, started with {@code bin/sales-agent serve}'s JVM flags (optionally
 * pinned to CPUs with {@code taskset}), so the attacker's threads, allocations and GC are not the gateway's.
 */
final class ChildHostileGateway implements HostileTarget {
  /** {@code bin/sales-agent serve}'s defaults. */
  static final List<String> SERVE_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xms96m", "-Xmx512m", "-Xmn48m",
      "-XX:ReservedCodeCacheSize=64m");

  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;
  private final int port;

  private ChildHostileGateway(Process process, BufferedReader out, PrintWriter in, int port) {
    this.process = process;
    this.out = out;
    this.in = in;
    this.port = port;
  }

  /**
   * @param cpus a {@code taskset -c} list for the gateway, or empty for no pinning
   * @param extraJvmFlags after {@code serve}'s (a GC log, a JFR recording)
   */
  static ChildHostileGateway start(String cpus, List<String> extraJvmFlags) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (!cpus.isEmpty()) cmd.addAll(List.of("taskset", "-c", cpus));
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    cmd.addAll(SERVE_JVM_FLAGS);
    cmd.addAll(extraJvmFlags);
    cmd.addAll(List.of("-cp", ManagementFactory.getRuntimeMXBean().getClassPath(), HostileGateway.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("PORT ")) return new ChildHostileGateway(p, out, in, Integer.parseInt(line.substring(5).trim()));
    }
    p.destroyForcibly();
    throw new IOException("the gateway process ended before it printed its port (exit " + p.exitValue() + ")");
  }

  @Override
  public int port() { return port; }

  @Override
  public synchronized Stats stats(boolean fullGc) throws IOException {
    in.println(fullGc ? "stats" : "peek");
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("STATS ")) return Stats.parse(line);
    }
    throw new IOException("the gateway process ended (exit " + (process.isAlive() ? "?" : process.exitValue()) + ")");
  }

  @Override
  public synchronized String lag() throws IOException {
    in.println("lag");
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("LAG ")) return line.substring(4).trim();
    }
    throw new IOException("the gateway process ended");
  }

  @Override
  public synchronized double openConnections() throws IOException {
    in.println("conns");
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("CONNS ")) return Double.parseDouble(line.substring(6).trim());
    }
    throw new IOException("the gateway process ended");
  }

  @Override
  public void close() throws InterruptedException {
    in.println("quit");
    if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
