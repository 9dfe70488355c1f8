package dev.salesagent.app;

/**
 * Chooses Netty's pooled buffer allocator unless the operator chose one ({@code -Dio.netty.allocator.type=…}).
 *
 * <p>Why: Netty 4.2's default, the adaptive allocator, treats a heap of at most 512 MiB ({@code serve}'s {@code -Xmx512m})
 * as low on memory; it then shares one magazine between the event loops and serves socket reads beyond its size classes
 * with unpooled direct buffers, each freed only by a Cleaner after a GC. Under load that was 2 % of the gateway's CPU in
 * {@code DirectByteBuffer} set-up alone, and the process peaked 50–60 MB higher: pooled, CPU per request fell in each of
 * five alternating pairs and peak RSS went from 330–349 MB to 279–285 MB (docs/PERFORMANCE.md, "Run 30").
 */
final class NettyAllocator {
  static final String PROPERTY = "io.netty.allocator.type";

  private NettyAllocator() {}

  /** Must run before the first Netty buffer is allocated (before Vert.x starts): Netty reads the property once. */
  static void preferPooled() {
    if (System.getProperty(PROPERTY) == null) System.setProperty(PROPERTY, "pooled");
  }
}
