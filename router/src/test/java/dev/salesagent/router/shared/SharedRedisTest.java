package dev.salesagent.router.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.redis.client.impl.types.ErrorType;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class SharedRedisTest {
  /**
   * The client fails the commands pending on a connection that closed (Redis killed mid-command) with an error reply
   * {@code CONNECTION_CLOSED}: that is an outage (local counters, probing), not an answer; a real error reply is.
   */
  @Test
  void aClosedConnectionIsAnOutageAndAnErrorReplyIsAnAnswer() {
    assertThat(SharedRedis.answered(ErrorType.create("CONNECTION_CLOSED"))).isFalse();
    assertThat(SharedRedis.answered(new ConnectException("refused"))).isFalse();
    assertThat(SharedRedis.answered(ErrorType.create("ERR Error running script"))).isTrue();
    assertThat(SharedRedis.answered(ErrorType.create("NOSCRIPT No matching script"))).isTrue();
  }
}
