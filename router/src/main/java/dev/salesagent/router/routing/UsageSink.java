package dev.salesagent.router.routing;

/** Where the router reports every attempt. Must not block: durable implementations buffer and write off the loop. */
@FunctionalInterface
public interface UsageSink {
  UsageSink NONE = r -> {};

  void record(UsageRecord record);
}
