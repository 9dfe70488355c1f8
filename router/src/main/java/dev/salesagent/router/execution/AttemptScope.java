package dev.salesagent.router.execution;

/**
 * What every attempt of one request shares, built once per request: the attempt reads it and reports its ending to
 * its {@link AttemptListener}, never back to the request's own accessors.
 */
record AttemptScope(
    RouterServices services,
    String requestId,
    String task,
    boolean streaming,
    Deadline deadline,
    StreamRelay relay,
    AttemptLedger ledger) {}
