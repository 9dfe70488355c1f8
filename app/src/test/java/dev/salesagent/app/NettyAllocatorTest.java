package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pooled allocator is the default, and an operator's own choice is kept. */
class NettyAllocatorTest {
  private final String before = System.getProperty(NettyAllocator.PROPERTY);

  @AfterEach
  void restore() {
    if (before == null) System.clearProperty(NettyAllocator.PROPERTY);
    else System.setProperty(NettyAllocator.PROPERTY, before);
  }

  @Test
  void pooledUnlessTheOperatorChoseOne() {
    System.clearProperty(NettyAllocator.PROPERTY);
    NettyAllocator.preferPooled();
    assertThat(System.getProperty(NettyAllocator.PROPERTY)).isEqualTo("pooled");

    System.setProperty(NettyAllocator.PROPERTY, "adaptive");
    NettyAllocator.preferPooled();
    assertThat(System.getProperty(NettyAllocator.PROPERTY)).isEqualTo("adaptive");
  }
}
