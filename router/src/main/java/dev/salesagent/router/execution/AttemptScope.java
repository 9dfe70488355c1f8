package dev.salesagent.router.execution;

import dev.salesagent.router.trace.RequestTrace;

/**
 * What every attempt of one request shares, built once per request: the attempt reads it and reports its ending to
 * its {@link AttemptListener}, never back to the request's own accessors. {@code trace} is where the attempts' spans go
 * ({@link RequestTrace#NONE} when tracing is off).
 */
record AttemptScope(
    RouterServices services,
    String requestId,
    String task,
    boolean streaming,
    Deadline deadline,
    StreamRelay relay,
    AttemptLedger ledger,
    RequestTrace trace) {}
