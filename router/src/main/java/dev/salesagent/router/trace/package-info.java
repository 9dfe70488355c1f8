/**
 * Tracing as the router, gateway and pipeline see it: a port ({@link dev.salesagent.router.trace.Tracing}) with no
 * OpenTelemetry type in it, so these modules carry no tracing library and pay nothing when tracing is off; {@code app}
 * implements it over the OpenTelemetry SDK. The router reports through {@code AttemptScope} (one
 * {@link dev.salesagent.router.trace.RequestTrace} per request) and each {@code TargetAttempt}'s ending.
 */
package dev.salesagent.router.trace;
