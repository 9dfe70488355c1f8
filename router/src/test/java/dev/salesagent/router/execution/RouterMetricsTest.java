package dev.salesagent.router.execution;

import static dev.salesagent.router.execution.EmulatorHarness.await;
import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.routing.RouteRequest;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.Test;

class RouterMetricsTest {

  @Test
  void metersFollowTheNamingAndNeverCarryAKey() {
    try (EmulatorHarness h = new EmulatorHarness(EmulatorOptions.defaults())) {
      RouterRuntime rt = h.start(null, null);
      h.emulator.faults().nextForModel("gpt-oss-120b", Fault.OVERLOADED, 1);
      await(rt.router().startChat(RouteRequest.of("m1", ChatRequest.user("Score this lead")).withTask("qualification")));
      var reg = h.registry;
      assertEquals(1.0, reg.get("sales_agent_retries").tag("provider", "cerebras").counter().count());
      assertEquals(2, reg.get("sales_agent_attempts").tag("provider", "cerebras").counters().stream().mapToDouble(c -> c.count()).sum());
      assertEquals(1.0, reg.get("sales_agent_requests").tag("outcome", "ok").tag("task", "qualification").counter().count());
      assertNotNull(reg.get("gen_ai.client.operation.duration").tag("error.type", "overloaded").timer());
      assertEquals(1, reg.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").summary().count());
      assertEquals(1, reg.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "output").summary().count());
      assertTrue(reg.get("sales_agent_cost_usd").counter().count() > 0);
      assertEquals(0.0, reg.get("sales_agent_circuit_state").tag("provider", "cerebras").gauge().value());
      assertEquals(1.0, reg.get("sales_agent_provider_health").tag("provider", "anthropic").gauge().value());
      assertTrue(reg.get("sales_agent_budget_remaining_usd").gauge().value() > 0);
      for (Meter m : reg.getMeters()) {
        for (Tag t : m.getId().getTags()) assertFalse(t.getValue().startsWith("test-key"), m.getId().toString());
      }
    }
  }
}
