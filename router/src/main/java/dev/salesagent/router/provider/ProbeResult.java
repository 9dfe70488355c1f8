package dev.salesagent.router.provider;

/** What an active health probe saw. {@code detail} says why when not ok (no secrets). */
public record ProbeResult(boolean ok, Integer status, long latencyMs, String detail) {}
