package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The trim after the warm-up reaches the JVM's diagnostic command (its failures are otherwise swallowed). */
class NativeHeapTrimTest {
  @Test
  void theJvmTrimsItsNativeHeapOnRequest() {
    // OpenJDK 17.0.9+ on glibc, as the project builds and runs: the answer reports RSS before and after
    assertThat(GatewayWarmup.trimNativeHeap()).startsWith("Trim native heap").contains("RSS");
  }
}
