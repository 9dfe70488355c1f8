package dev.salesagent.router.trace;

/** A span made current on this thread; closing it restores what was current before. */
public interface TraceScope extends AutoCloseable {

  TraceScope NONE = () -> { };

  @Override
  void close();
}
