package dev.salesagent.router.shared;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.health.ProbeSync;
import dev.salesagent.router.resilience.CircuitSync;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Circuit breakers and health probes shared through Redis: announcements on pub/sub channels ({@value #CIRCUITS}:
 * {@code opened|closed <target>}; {@value #HEALTH}: a probe's outcome as JSON with the prober's id), and leases as
 * {@code SET key <replica id> NX PX ttl} ({@code sa:lease:probe:<target>}, {@code sa:lease:health:<provider>}), given
 * back only by their holder (a script compares the id). Everything here is off the request path.
 */
public final class RedisClusterSync implements CircuitSync, ProbeSync {
  private static final Logger log = LoggerFactory.getLogger(RedisClusterSync.class);
  static final String CIRCUITS = "sa:events:circuits";
  static final String HEALTH = "sa:events:health";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LuaScript RELEASE = LuaScript.of("release-lease",
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0");

  private final SharedRedis redis;
  private final SharedEvents events;
  /** This replica in leases and shared outcomes. */
  private final String self = UUID.randomUUID().toString();

  /** Register before {@code events} is started. */
  public RedisClusterSync(SharedRedis redis, SharedEvents events) {
    this.redis = redis;
    this.events = events;
  }

  @Override
  public void announce(String target, Event event) {
    events.publish(CIRCUITS, event.name().toLowerCase(Locale.ROOT) + " " + target)
        .onFailure(t -> log.warn("circuit of {} {}: the other replicas could not be told ({})", target,
            event.name().toLowerCase(Locale.ROOT), t.getMessage()));
  }

  @Override
  public void onEvent(BiConsumer<String, Event> listener) {
    // nothing to re-read after a gap: an opening missed is found by the replica's own failures, a closing missed by
    // its half-open probe
    events.listen(CIRCUITS, msg -> {
      int sp = msg.indexOf(' ');
      if (sp < 0) return;
      Event e = switch (msg.substring(0, sp)) {
        case "opened" -> Event.OPENED;
        case "closed" -> Event.CLOSED;
        default -> null;
      };
      if (e != null) listener.accept(msg.substring(sp + 1), e);
    }, () -> {});
  }

  @Override
  public Future<Boolean> probeLease(String target, long ttlMs) {
    return setIfAbsent("sa:lease:probe:" + target, ttlMs);
  }

  @Override
  public void releaseProbe(String target) {
    redis.eval(RELEASE, List.of("sa:lease:probe:" + target), List.of(self));
  }

  @Override
  public Future<Boolean> lease(String provider, long ttlMs) {
    return setIfAbsent("sa:lease:health:" + provider, ttlMs);
  }

  private Future<Boolean> setIfAbsent(String key, long ttlMs) {
    return redis.command(Request.cmd(Command.SET).arg(key).arg(self).arg("NX").arg("PX").arg(Math.max(1, ttlMs)))
        .map(r -> r != null && "OK".equals(r.toString()));
  }

  @Override
  public void share(String provider, Outcome o) {
    ObjectNode n = JSON.createObjectNode().put("from", self).put("provider", provider).put("ok", o.ok())
        .put("latency_ms", o.latencyMs()).put("detail", o.detail());
    if (o.status() != null) n.put("status", o.status());
    events.publish(HEALTH, n.toString());
  }

  @Override
  public void onShared(BiConsumer<String, Outcome> listener) {
    events.listen(HEALTH, msg -> {
      try {
        JsonNode n = JSON.readTree(msg);
        if (self.equals(n.path("from").asText())) return;
        listener.accept(n.path("provider").asText(), new Outcome(n.path("ok").asBoolean(),
            n.hasNonNull("status") ? n.get("status").asInt() : null, n.path("latency_ms").asLong(),
            n.hasNonNull("detail") ? n.get("detail").asText() : null));
      } catch (Exception e) {
        log.warn("shared health: an unreadable message was ignored");
      }
    }, () -> {});
  }
}
