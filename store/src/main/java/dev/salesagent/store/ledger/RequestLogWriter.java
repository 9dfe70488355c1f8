package dev.salesagent.store.ledger;

import dev.salesagent.router.routing.UsageRecord;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Keeps {@code request_log} (V7_1, V11) in step with the usage ledger: called by the ledger's writer thread with each
 * batch of attempts, inside the batch's transaction, it works out each attempt's kind (first, retry, fallback) and
 * folds the batch's attempts into one row per request — inserted for a new request, updated for one whose earlier
 * attempts an earlier batch wrote (a retry after a backoff). One read of the requests whose first attempt is not in the
 * batch (none, usually), then one update batch and one insert batch: a few statements per flush, not per row, and
 * nothing on the event loop.
 *
 * <p>A request with one attempt is one row: its request-log row also holds the attempt ({@code single_attempt}; the
 * {@code usage_ledger} view shows it as an attempt row). Only the attempts of requests with more than one go to
 * {@code ledger_attempts} — {@link Plan#attempts()} — including a first attempt an earlier batch kept in its request's
 * row, once a retry of it arrives.
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
    // the single attempt's own columns (written while attempts == 1)
    Long cachedInputTokens;
    boolean usageEstimated;
    Long ttftMs;
    /** The attempt an earlier batch kept in this row (single_attempt), as a ledger row; null when there is none. */
    UsageRecord kept;
  }

  /**
   * What the writer stores besides the request log: the attempts that get their own {@code ledger_attempts} row, in
   * order, with their kinds.
   */
  record Plan(List<UsageRecord> attempts, List<String> kinds) {}

  private RequestLogWriter() {}

  /** Writes the request-log rows of {@code rows}; returns the attempts that need a {@code ledger_attempts} row. */
  static Plan apply(Handle h, List<UsageRecord> rows) {
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
    List<Row> rowOf = new ArrayList<>(rows.size());
    for (UsageRecord r : rows) {
      String id = truncate(r.requestId(), 128);
      Row row = byId.get(id);
      if (row == null) {
        row = new Row();
        byId.put(id, row);
      }
      kinds.add(fold(row, r));
      rowOf.add(row);
    }
    List<UsageRecord> attempts = new ArrayList<>();
    List<String> attemptKinds = new ArrayList<>();
    for (Row row : byId.values()) {
      if (row.kept != null && row.attempts > 1) { // its single attempt gets its own row now that a retry came
        attempts.add(row.kept);
        attemptKinds.add(FIRST);
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      if (rowOf.get(i).attempts > 1) {
        attempts.add(rows.get(i));
        attemptKinds.add(kinds.get(i));
      }
    }
    write(h, byId);
    return new Plan(attempts, attemptKinds);
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
    row.cachedInputTokens = r.cachedInputTokens() == null ? null : r.cachedInputTokens().longValue();
    row.usageEstimated = r.usageEstimated();
    row.ttftMs = r.ttftMs();
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
        if (rs.getBoolean("single_attempt")) row.kept = keptAttempt(rs, row);
        byId.put(rs.getString("request_id"), row);
        return row;
      }).list();
    }
  }

  /** The attempt a single-attempt row holds, as the ledger row it stands for (the {@code usage_ledger} view's). */
  private static UsageRecord keptAttempt(java.sql.ResultSet rs, Row row) throws SQLException {
    long cached = rs.getLong("cached_input_tokens");
    Integer cachedTokens = rs.wasNull() ? null : (int) cached;
    long ttft = rs.getLong("ttft_ms");
    Long ttftMs = rs.wasNull() ? null : ttft;
    return new UsageRecord(row.ended, rs.getString("request_id"), row.keyId, row.task, row.provider, row.model,
        row.inputTokens == null ? null : row.inputTokens.intValue(), cachedTokens,
        row.outputTokens == null ? null : row.outputTokens.intValue(), row.cost.doubleValue(), rs.getLong("latency_ms"),
        row.outcome, row.status, row.streamed, rs.getBoolean("usage_estimated"), row.requested, ttftMs, 1);
  }

  private static final String UPDATE = "UPDATE request_log SET started_at = ?, ended_at = ?, api_key_id = ?, task = ?,"
      + " requested_model = ?, first_provider = ?, provider = ?, model = ?, outcome = ?, status = ?, attempts = ?,"
      + " failed_attempts = ?, retries = ?, fallbacks = ?, input_tokens = ?, output_tokens = ?, cost_usd = ?, latency_ms = ?,"
      + " streamed = ?, single_attempt = ?, cached_input_tokens = ?, usage_estimated = ?, ttft_ms = ? WHERE request_id = ?";
  private static final String INSERT = "INSERT INTO request_log (started_at, ended_at, api_key_id, task, requested_model,"
      + " first_provider, provider, model, outcome, status, attempts, failed_attempts, retries, fallbacks, input_tokens,"
      + " output_tokens, cost_usd, latency_ms, streamed, single_attempt, cached_input_tokens, usage_estimated, ttft_ms,"
      + " request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Plain JDBC, positional: one row per request answered, where JDBI's per-bind lookups would cost more than the SQL. */
  private static void write(Handle h, Map<String, Row> byId) {
    boolean anyUpdate = false;
    boolean anyInsert = false;
    for (Row r : byId.values()) {
      if (r.exists) anyUpdate = true;
      else anyInsert = true;
    }
    try {
      if (anyUpdate) write(h, byId, true, UPDATE);
      if (anyInsert) write(h, byId, false, INSERT);
    } catch (SQLException e) {
      throw new IllegalStateException("request log write failed: " + e.getMessage(), e);
    }
  }

  /** The rows that exist ({@code existing}) or not, in the column order of {@link #UPDATE} and {@link #INSERT}. */
  private static void write(Handle h, Map<String, Row> byId, boolean existing, String sql) throws SQLException {
    try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
      for (var e : byId.entrySet()) {
        Row r = e.getValue();
        if (r.exists != existing) continue;
        ps.setObject(1, ts(r.started));
        ps.setObject(2, ts(r.ended));
        ps.setString(3, r.keyId);
        ps.setString(4, truncate(r.task, 64));
        ps.setString(5, truncate(r.requested, 200));
        ps.setString(6, truncate(r.firstProvider, 64));
        ps.setString(7, truncate(r.provider, 64));
        ps.setString(8, truncate(r.model, 128));
        ps.setString(9, truncate(r.outcome, 32));
        Jdbc.setInt(ps, 10, r.status);
        ps.setInt(11, r.attempts);
        ps.setInt(12, r.failed);
        ps.setInt(13, r.retries);
        ps.setInt(14, r.fallbacks);
        Jdbc.setLong(ps, 15, r.inputTokens);
        Jdbc.setLong(ps, 16, r.outputTokens);
        ps.setBigDecimal(17, r.cost);
        ps.setLong(18, Math.max(0, r.ended.toEpochMilli() - r.started.toEpochMilli()));
        ps.setBoolean(19, r.streamed);
        boolean single = r.attempts == 1;
        ps.setBoolean(20, single);
        Jdbc.setLong(ps, 21, single ? r.cachedInputTokens : null);
        ps.setBoolean(22, single && r.usageEstimated);
        Jdbc.setLong(ps, 23, single ? r.ttftMs : null);
        ps.setString(24, e.getKey());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static OffsetDateTime ts(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
