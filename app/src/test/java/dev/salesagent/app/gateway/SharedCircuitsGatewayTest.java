package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.execution.LiveState.TargetRuntime;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.testing.RedisTestServer;
import dev.salesagent.store.testing.PostgresTestServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three replicas sharing circuit breakers through Redis: a circuit opened by failures through one replica is open on
 * the others within 1 s (they make no call to it), and when the open period ends one replica alone runs the half-open
 * probe; its success closes the circuit everywhere.
 */
class SharedCircuitsGatewayTest {
  static RedisTestServer redis;
  static final List<AssembledGatewayHarness> replicas = new ArrayList<>();
  static final String CHAT = "{\"model\":\"deepseek/deepseek-flash\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void up() {
    redis = RedisTestServer.start();
    String db = PostgresTestServer.get().newDatabaseUrl("circuits");
    GatewayOptions o = GatewayOptions.defaults().withPort(0).withEventLoops(1);
    String yaml = "shared_state: {command_timeout_ms: 30000}\n"
        + "resilience: {max_retries: 0, circuit_breaker: {failure_rate_percent: 50, minimum_calls: 2, window_size: 2, "
        + "open_ms: 4000, half_open_calls: 1}}\n";
    for (int i = 0; i < 3; i++) replicas.add(new AssembledGatewayHarness(yaml, o, EmulatorOptions.defaults(), db, redis.url()));
  }

  @AfterAll
  static void down() {
    replicas.forEach(AssembledGatewayHarness::close);
    redis.close();
  }

  static State state(AssembledGatewayHarness h) {
    return Arrays.stream(h.assembly.runtime().state().targets())
        .filter(t -> t.ref.providerName().equals("deepseek") && t.ref.model().equals("deepseek-flash"))
        .map((TargetRuntime t) -> t.breaker.getState()).findFirst().orElseThrow();
  }

  static long upstreamCalls() {
    return replicas.stream().mapToLong(h -> h.emulator.stats().total("*")).sum();
  }

  @Test
  void aCircuitOpenedThroughOneReplicaIsOpenOnAllAndProbedByOne() {
    AssembledGatewayHarness a = replicas.get(0);
    a.emulator.faults().always("openai", Fault.SERVER_ERROR);
    for (int i = 0; i < 2; i++) {
      assertThat(a.post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY, CHAT).statusCode()).isGreaterThanOrEqualTo(500);
    }
    assertThat(state(a)).isEqualTo(State.OPEN);
    // the others follow within 1 s of the opening, and refuse the target without calling it
    Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
        .until(() -> state(replicas.get(1)) == State.OPEN && state(replicas.get(2)) == State.OPEN);
    replicas.forEach(h -> h.emulator.stats().reset());
    assertThat(replicas.get(1).post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY, CHAT).statusCode()).isEqualTo(503);
    assertThat(upstreamCalls()).isZero();

    // the open period ends: one replica holds the probe lease, the other two hold their circuits open meanwhile
    a.emulator.faults().clear();
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> replicas.stream().filter(h -> state(h) == State.FORCED_OPEN).count() == 2);
    AssembledGatewayHarness holder = replicas.stream().filter(h -> state(h) != State.FORCED_OPEN).findFirst().orElseThrow();
    for (AssembledGatewayHarness h : replicas) {
      if (h != holder) assertThat(h.post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY, CHAT).statusCode()).isEqualTo(503);
    }
    assertThat(upstreamCalls()).as("replicas without the lease make no half-open call").isZero();
    // the holder's half-open call succeeds: the circuit closes there, then everywhere
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
        holder.post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY, CHAT).statusCode() == 200);
    assertThat(upstreamCalls()).as("one half-open probe in all").isEqualTo(1);
    Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
        .until(() -> replicas.stream().allMatch(h -> state(h) == State.CLOSED));
    for (AssembledGatewayHarness h : replicas) {
      assertThat(h.post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY, CHAT).statusCode()).isEqualTo(200);
    }
  }
}
