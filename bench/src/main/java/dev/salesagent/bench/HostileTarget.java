package dev.salesagent.bench;

/**
 * The gateway under attack in {@link HostileLoad}, seen from the attacker: its port and the figures an operator reads
 * (heap after a full GC, RSS, open connections, meter count, what the upstream sent). Either in the attacker's JVM or
 * a process of its own — the realistic case, since an attacker does not run inside the gateway's JVM.
 */
interface HostileTarget extends AutoCloseable {
  int port();

  /**
   * @param fullGc take a full GC first, for the heap-after-GC figure: only between attacks, never inside one (the
   *     pause would be measured by the probe)
   */
  Stats stats(boolean fullGc) throws Exception;

  /** Per event loop of the gateway, its worst lag since the last call and when (see {@link EventLoopLag}). */
  String lag() throws Exception;

  /** The gateway's open client connections (its Vert.x gauge), without a GC. */
  double openConnections() throws Exception;

  @Override
  void close() throws Exception;

  /** One reading; {@code heapBytes} is taken right after a full GC when one was asked for. */
  record Stats(long heapBytes, long rssKb, double openConnections, int meters, long upstreamBytes, int upstreamStreams) {
    String line() {
      return "STATS " + heapBytes + " " + rssKb + " " + openConnections + " " + meters + " " + upstreamBytes + " "
          + upstreamStreams;
    }

    static Stats parse(String line) {
      String[] f = line.trim().split(" ");
      if (f.length != 7 || !f[0].equals("STATS")) throw new IllegalStateException("not a stats line: " + line);
      return new Stats(Long.parseLong(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]), Integer.parseInt(f[4]),
          Long.parseLong(f[5]), Integer.parseInt(f[6]));
    }
  }
}
