package dev.salesagent.server.auth;

import dev.salesagent.router.shared.SharedEvents;
import io.vertx.core.Future;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * {@link KeyChanges} on Redis pub/sub (channel {@value #CHANNEL}, the message {@code <created|changed|revoked> <key
 * id>}): every replica hears every change, and resyncs after its subscription was lost and is back.
 */
public final class RedisKeyChanges implements KeyChanges {
  static final String CHANNEL = "sa:events:keys";
  private final SharedEvents events;

  /** Register before {@code events} is started. */
  public RedisKeyChanges(SharedEvents events) {
    this.events = events;
  }

  @Override
  public Future<Void> announce(Change change, String keyId) {
    return events.publish(CHANNEL, change.name().toLowerCase(Locale.ROOT) + " " + keyId);
  }

  @Override
  public void onChange(BiConsumer<Change, String> onChange, Runnable resync) {
    events.listen(CHANNEL, msg -> {
      int sp = msg.indexOf(' ');
      Change c;
      try {
        c = sp < 0 ? Change.CHANGED : Change.valueOf(msg.substring(0, sp).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException unknown) {
        c = Change.CHANGED; // a newer replica's kind: reload
      }
      onChange.accept(c, sp < 0 ? msg : msg.substring(sp + 1));
    }, resync);
  }
}
