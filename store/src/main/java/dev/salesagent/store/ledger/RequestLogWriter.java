package dev.salesagent.store.ledger;

import dev.salesagent.router.routing.UsageRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Keeps {@code request_log} (V7_1) in step with the usage ledger: called by the ledger's writer thread with each batch
 * of attempts, inside the batch's transaction, it works out each attempt's kind (first, retry, fallback) and folds the
 * batch's attempts into one row per request — inserted for a new request, updated for one whose earlier attempts an
 * earlier batch wrote (a retry after a backoff). One read of the requests whose first attempt is not in the batch (none,
 * usually), then one update batch and one insert batch: a few statements per flush, not per row, and nothing on the
 * event loop.
 */
final class RequestLogWriter {
  static final String FIRST = "first";
  static final String RETRY = "retry";
  static final String FALLBACK = "fallback";

  /** The request-log row being built for one request id. */
  private static final class Row {
    boolean exists;
    Instant started;
    Instant ended;
    String keyId;
    String task;
    String requested;
    String firstProvider;
    String provider;
    String model;
    String outcome;
    Integer status;
    int attempts;
    int failed;
    int retries;
    int fallbacks;
    Long inputTokens;
    Long outputTokens;
    BigDecimal cost = BigDecimal.ZERO;
    boolean streamed;
  }

  private RequestLogWriter() {}

  /** The kind of each record of {@code rows}, in order; then the request-log rows are written. */
  static List<String> apply(Handle h, List<UsageRecord> rows) {
    Map<String, Row> byId = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (UsageRecord r : rows) {
      String id = truncate(r.requestId(), 128);
      if (byId.containsKey(id)) continue;
      // a request whose first attempt is in this batch has no earlier row: only the others are looked up (nearly
      // every request has one attempt, so a batch usually reads nothing)
      if (r.attempt() == 1) byId.put(id, new Row());
      else {
        byId.put(id, null);
        unknown.add(id);
      }
    }
    loadExisting(h, unknown, byId);
    List<String> kinds = new ArrayList<>(rows.size());
    for (UsageRecord r : rows) {
      String id = truncate(r.requestId(), 128);
      Row row = byId.get(id);
      if (row == null) {
        row = new Row();
        byId.put(id, row);
      }
      kinds.add(fold(row, r));
    }
    write(h, byId);
    return kinds;
  }

  private static String fold(Row row, UsageRecord r) {
    Instant end = r.at() == null ? Instant.now() : r.at();
    Instant start = end.minusMillis(Math.max(0, r.latencyMs()));
    String kind;
    if (row.attempts == 0) {
      kind = FIRST;
      row.started = start;
      row.firstProvider = r.provider();
    } else {
      kind = r.provider().equals(row.provider) && r.model().equals(row.model) ? RETRY : FALLBACK;
      if (kind.equals(RETRY)) row.retries++;
      else row.fallbacks++;
      if (start.isBefore(row.started)) row.started = start;
    }
    row.ended = row.ended == null || end.isAfter(row.ended) ? end : row.ended;
    if (row.keyId == null) row.keyId = r.apiKeyId();
    if (row.task == null) row.task = r.task();
    if (row.requested == null) row.requested = r.requestedModel();
    row.provider = r.provider();
    row.model = r.model();
    row.outcome = r.outcome();
    row.status = r.status();
    row.attempts++;
    if (!"ok".equals(r.outcome())) row.failed++;
    if (r.inputTokens() != null) row.inputTokens = (row.inputTokens == null ? 0 : row.inputTokens) + r.inputTokens();
    if (r.outputTokens() != null) row.outputTokens = (row.outputTokens == null ? 0 : row.outputTokens) + r.outputTokens();
    row.cost = row.cost.add(BigDecimal.valueOf(r.costUsd()));
    row.streamed |= r.streamed();
    return kind;
  }

  private static void loadExisting(Handle h, List<String> ids, Map<String, Row> byId) {
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      h.createQuery("SELECT * FROM request_log WHERE request_id IN (<ids>)").bindList("ids", chunk).map((rs, ctx) -> {
        Row row = new Row();
        row.exists = true;
        row.started = rs.getObject("started_at", OffsetDateTime.class).toInstant();
        row.ended = rs.getObject("ended_at", OffsetDateTime.class).toInstant();
        row.keyId = rs.getString("api_key_id");
        row.task = rs.getString("task");
        row.requested = rs.getString("requested_model");
        row.firstProvider = rs.getString("first_provider");
        row.provider = rs.getString("provider");
        row.model = rs.getString("model");
        row.outcome = rs.getString("outcome");
        int st = rs.getInt("status");
        row.status = rs.wasNull() ? null : st;
        row.attempts = rs.getInt("attempts");
        row.failed = rs.getInt("failed_attempts");
        row.retries = rs.getInt("retries");
        row.fallbacks = rs.getInt("fallbacks");
        long in = rs.getLong("input_tokens");
        row.inputTokens = rs.wasNull() ? null : in;
        long out = rs.getLong("output_tokens");
        row.outputTokens = rs.wasNull() ? null : out;
        row.cost = rs.getBigDecimal("cost_usd");
        row.streamed = rs.getBoolean("streamed");
        byId.put(rs.getString("request_id"), row);
        return row;
      }).list();
    }
  }

  private static void write(Handle h, Map<String, Row> byId) {
    PreparedBatch update = h.prepareBatch("UPDATE request_log SET started_at = :started, ended_at = :ended,"
        + " api_key_id = :key, task = :task, requested_model = :requested, first_provider = :first, provider = :provider,"
        + " model = :model, outcome = :outcome, status = :status, attempts = :attempts, failed_attempts = :failed,"
        + " retries = :retries, fallbacks = :fallbacks, input_tokens = :input, output_tokens = :output, cost_usd = :cost,"
        + " latency_ms = :latency, streamed = :streamed WHERE request_id = :id");
    PreparedBatch insert = h.prepareBatch("INSERT INTO request_log (request_id, started_at, ended_at, api_key_id, task,"
        + " requested_model, first_provider, provider, model, outcome, status, attempts, failed_attempts, retries,"
        + " fallbacks, input_tokens, output_tokens, cost_usd, latency_ms, streamed) VALUES (:id, :started, :ended, :key,"
        + " :task, :requested, :first, :provider, :model, :outcome, :status, :attempts, :failed, :retries, :fallbacks,"
        + " :input, :output, :cost, :latency, :streamed)");
    boolean updates = false;
    boolean inserts = false;
    for (var e : byId.entrySet()) {
      Row r = e.getValue();
      PreparedBatch b = r.exists ? update : insert;
      b.bind("id", e.getKey()).bind("started", ts(r.started)).bind("ended", ts(r.ended))
          .bindByType("key", r.keyId, String.class).bindByType("task", truncate(r.task, 64), String.class)
          .bindByType("requested", truncate(r.requested, 200), String.class).bind("first", truncate(r.firstProvider, 64))
          .bind("provider", truncate(r.provider, 64)).bind("model", truncate(r.model, 128))
          .bind("outcome", truncate(r.outcome, 32)).bindByType("status", r.status, Integer.class)
          .bind("attempts", r.attempts).bind("failed", r.failed).bind("retries", r.retries).bind("fallbacks", r.fallbacks)
          .bindByType("input", r.inputTokens, Long.class).bindByType("output", r.outputTokens, Long.class)
          .bind("cost", r.cost).bind("latency", Math.max(0, r.ended.toEpochMilli() - r.started.toEpochMilli()))
          .bind("streamed", r.streamed).add();
      if (r.exists) updates = true;
      else inserts = true;
    }
    if (updates) update.execute();
    if (inserts) insert.execute();
  }

  private static OffsetDateTime ts(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
