package dev.salesagent.app.gateway;

import dev.salesagent.router.trace.Tracing;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.server.Gateway;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.store.Database;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The gateway as {@code serve} assembles it ({@link GatewayAssembly}): keys, usage ledger and budget counters on an
 * H2 file database that survives a {@link #stop()} / {@link #start()} (restart tests), the sales endpoints included.
 */
public final class AssembledGatewayHarness extends GatewayHarness {
  public final String dbUrl;
  /** {@code SALES_AGENT_REDIS_URL} of this replica, {@code null} for none. */
  public final String redisUrl;
  public GatewayAssembly assembly;
  /** Where the gateway's spans go ({@link Tracing#OFF} unless a test traces). */
  public final Tracing tracing;

  public AssembledGatewayHarness() {
    this("", GatewayOptions.defaults().withPort(0).withEventLoops(2));
  }

  public AssembledGatewayHarness(String extraYaml, GatewayOptions options) {
    this(extraYaml, options, EmulatorOptions.defaults());
  }

  public AssembledGatewayHarness(String extraYaml, GatewayOptions options, EmulatorOptions emulatorOptions) {
    this(extraYaml, options, emulatorOptions, newDbUrl(), null);
  }

  /** A replica on a given database and Redis (several harnesses may share both). */
  public AssembledGatewayHarness(String extraYaml, GatewayOptions options, EmulatorOptions emulatorOptions, String dbUrl,
                                 String redisUrl) {
    this(extraYaml, options, emulatorOptions, dbUrl, redisUrl, Tracing.OFF);
  }

  /** A traced gateway. */
  public AssembledGatewayHarness(String extraYaml, GatewayOptions options, Tracing tracing) {
    this(extraYaml, options, EmulatorOptions.defaults(), newDbUrl(), null, tracing);
  }

  private AssembledGatewayHarness(String extraYaml, GatewayOptions options, EmulatorOptions emulatorOptions, String dbUrl,
                                  String redisUrl, Tracing tracing) {
    super(extraYaml, options, emulatorOptions, false);
    this.dbUrl = dbUrl;
    this.redisUrl = redisUrl;
    this.tracing = tracing;
    start();
  }

  public static String newDbUrl() {
    return Database.defaultUrl(Path.of("target", "gw-test", UUID.randomUUID().toString()));
  }

  @Override
  protected Future<Gateway> startGateway(RouterConfig cfg) {
    Database db = Database.open(dbUrl);
    return GatewayAssembly.start(vertx, cfg, db, ADMIN_KEY, options, registry, redisUrl, tracing).map(a -> {
      assembly = a;
      return a.gateway();
    });
  }
}
