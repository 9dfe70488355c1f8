package dev.salesagent.app.tracing;

import dev.salesagent.router.trace.Tracing;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The process's tracing, from the standard OpenTelemetry variables: on when {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) is set — OTLP over HTTP/protobuf, {@code OTEL_SERVICE_NAME} (default
 * {@code sales-agent}), {@code OTEL_TRACES_SAMPLER} / {@code OTEL_TRACES_SAMPLER_ARG} and every other {@code OTEL_*}
 * the SDK's autoconfigure module reads; off otherwise ({@link Tracing#OFF}: no SDK is built, no span object is ever
 * created). {@code OTEL_SDK_DISABLED=true} or {@code OTEL_TRACES_EXPORTER=none} turn it off too. Only traces are
 * exported (metrics stay on {@code /metrics}).
 */
public final class AppTracing {
  /** Our defaults under whatever the environment says (the SDK reads the environment over these). */
  static final Map<String, String> DEFAULTS = Map.of(
      "otel.service.name", "sales-agent",
      "otel.exporter.otlp.protocol", "http/protobuf",
      "otel.traces.exporter", "otlp",
      "otel.metrics.exporter", "none",
      "otel.logs.exporter", "none");

  private static Tracing process;

  private AppTracing() {}

  /** Built once per process (the SDK flushes at exit through its shutdown hook). */
  public static synchronized Tracing fromEnvironment() {
    if (process == null) process = create(System.getenv(), true);
    return process;
  }

  /**
   * Tracing for {@code env} (variables as the process sees them): {@link Tracing#OFF} when no OTLP endpoint is set.
   * {@code shutdownHook}: the SDK flushes and stops at JVM exit; otherwise the caller closes the {@link OtelTracing}.
   */
  static Tracing create(Map<String, String> env, boolean shutdownHook) {
    if (!configured(env)) return Tracing.OFF;
    Map<String, String> props = new HashMap<>(DEFAULTS);
    for (var e : env.entrySet()) {
      if (e.getKey().startsWith("OTEL_")) props.put(e.getKey().toLowerCase(Locale.ROOT).replace('_', '.'), e.getValue());
    }
    AutoConfiguredOpenTelemetrySdkBuilder b = AutoConfiguredOpenTelemetrySdk.builder().addPropertiesSupplier(() -> props);
    if (!shutdownHook) b.disableShutdownHook();
    return new OtelTracing(b.build().getOpenTelemetrySdk());
  }

  static boolean configured(Map<String, String> env) {
    if ("true".equalsIgnoreCase(value(env, "OTEL_SDK_DISABLED"))) return false;
    if ("none".equalsIgnoreCase(value(env, "OTEL_TRACES_EXPORTER"))) return false;
    return value(env, "OTEL_EXPORTER_OTLP_ENDPOINT") != null || value(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != null;
  }

  /** A variable, or its system property ({@code otel.exporter.otlp.endpoint}); null when unset or blank. */
  private static String value(Map<String, String> env, String name) {
    String v = System.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
    if (v == null || v.isBlank()) v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
