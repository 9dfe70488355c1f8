package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The warm-up option's values and the rule that ends an {@code auto} warm-up. */
class WarmupPlanTest {
  @Test
  void autoRunsUntilTheJitSettlesBetweenAFloorAndACeiling() {
    WarmupPlan p = WarmupPlan.parse(" AUTO ");
    assertThat(p.untilJitSettles()).isTrue();
    assertThat(p.min()).isEqualTo(Duration.ofSeconds(6));
    assertThat(p.max()).isEqualTo(Duration.ofSeconds(40));
    assertThat(p.off()).isFalse();
  }

  @Test
  void aNumberIsAFixedTimeAndZeroOrOffIsNone() {
    assertThat(WarmupPlan.parse("30")).isEqualTo(WarmupPlan.fixed(Duration.ofSeconds(30)));
    assertThat(WarmupPlan.parse("0").off()).isTrue();
    assertThat(WarmupPlan.parse("off").off()).isTrue();
    assertThat(WarmupPlan.parse("30").describe()).isEqualTo("for 30 s");
  }

  @Test
  void anythingElseSaysWhatToWrite() {
    assertThatThrownBy(() -> WarmupPlan.parse("-3")).hasMessageContaining("auto, off or 0 or more seconds");
    assertThatThrownBy(() -> WarmupPlan.parse("30s")).hasMessageContaining("got '30s'");
    assertThatThrownBy(() -> WarmupPlan.parse("")).hasMessageContaining("auto, off or a whole number");
  }

  @Test
  void theJitCountsAsSettledOnlyAfterAWholeQuietWindow() {
    JitSettling jit = new JitSettling();
    // compiling hard: about a second of compile time per second
    assertThat(jit.record(1_000)).isFalse();
    assertThat(jit.record(2_100)).isFalse();
    assertThat(jit.record(3_000)).isFalse();
    assertThat(jit.record(3_900)).isFalse();
    // calming down, but the window still holds busy seconds
    assertThat(jit.record(3_950)).isFalse();
    assertThat(jit.record(3_990)).isFalse();
    // three quiet seconds in a row: 4,000 - 3,900 = 100 ms <= 150
    assertThat(jit.record(4_000)).isTrue();
    // one burst (a deoptimisation storm) makes it unsettled again
    assertThat(jit.record(4_400)).isFalse();
  }

  @Test
  void fewerSamplesThanTheWindowNeverCountAsSettled() {
    JitSettling jit = new JitSettling();
    assertThat(jit.record(0)).isFalse();
    assertThat(jit.record(0)).isFalse();
    assertThat(jit.record(0)).isFalse();
    assertThat(jit.record(0)).isTrue();
  }
}
