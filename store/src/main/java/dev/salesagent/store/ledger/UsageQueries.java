package dev.salesagent.store.ledger;

import dev.salesagent.router.routing.UsageFilter;
import dev.salesagent.router.routing.UsageQuery;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.routing.UsageTotals;
import dev.salesagent.store.Database;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads the usage ledger: totals grouped by any of {@link #DIMENSIONS}, and the rows of one run or request (by
 * request-id prefix). Blocking JDBC: call off the event loop.
 */
public final class UsageQueries implements UsageQuery {
  /** Grouping dimensions and their SQL; {@code day} is the UTC calendar day. */
  public static final Map<String, String> DIMENSIONS = Map.of(
      "key", "api_key_id",
      "task", "task",
      "provider", "provider",
      "model", "model",
      "outcome", "outcome",
      "day", "CAST((at AT TIME ZONE 'UTC') AS DATE)");

  private final Database db;

  public UsageQueries(Database db) {
    this.db = db;
  }

  /**
   * Totals grouped by {@code groupBy} (in that order; empty = one grand total row), ordered by the group values.
   *
   * @throws IllegalArgumentException naming an unknown dimension
   */
  @Override
  public List<UsageTotals> totals(List<String> groupBy, UsageFilter filter) {
    List<String> dims = new ArrayList<>();
    for (String d : groupBy) {
      String k = d.trim().toLowerCase(Locale.ROOT);
      if (!DIMENSIONS.containsKey(k)) {
        throw new IllegalArgumentException("unknown group_by dimension '" + d + "' (use key, task, provider, model, day, outcome)");
      }
      if (!dims.contains(k)) dims.add(k);
    }
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < dims.size(); i++) sql.append(DIMENSIONS.get(dims.get(i))).append(" AS g").append(i).append(", ");
    sql.append("COUNT(DISTINCT request_id) AS requests, COUNT(*) AS attempts,"
        + " SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END) AS failed,"
        // token totals are what providers reported; rows charged on an estimate are totalled apart
        + " COALESCE(SUM(CASE WHEN usage_estimated THEN NULL ELSE input_tokens END), 0) AS input_tokens,"
        + " COALESCE(SUM(CASE WHEN usage_estimated THEN NULL ELSE cached_input_tokens END), 0) AS cached,"
        + " COALESCE(SUM(CASE WHEN usage_estimated THEN NULL ELSE output_tokens END), 0) AS output_tokens,"
        + " COALESCE(SUM(cost_usd), 0) AS cost,"
        + " SUM(CASE WHEN usage_estimated THEN 1 ELSE 0 END) AS est_attempts,"
        + " COALESCE(SUM(CASE WHEN usage_estimated THEN input_tokens ELSE NULL END), 0) AS est_input_tokens,"
        + " COALESCE(SUM(CASE WHEN usage_estimated THEN output_tokens ELSE NULL END), 0) AS est_output_tokens,"
        + " COALESCE(SUM(CASE WHEN usage_estimated THEN cost_usd ELSE NULL END), 0) AS est_cost FROM usage_ledger");
    Map<String, Object> binds = where(sql, filter);
    if (!dims.isEmpty()) {
      sql.append(" GROUP BY ");
      for (int i = 0; i < dims.size(); i++) sql.append(i == 0 ? "" : ", ").append(DIMENSIONS.get(dims.get(i)));
      sql.append(" ORDER BY ");
      for (int i = 0; i < dims.size(); i++) sql.append(i == 0 ? "" : ", ").append("g").append(i);
    }
    return db.jdbi().withHandle(h -> {
      Query q = h.createQuery(sql.toString());
      binds.forEach(q::bind);
      return q.map((rs, ctx) -> {
        Map<String, String> group = new LinkedHashMap<>();
        for (int i = 0; i < dims.size(); i++) {
          Object v = rs.getObject("g" + i);
          group.put(dims.get(i), v == null ? null : v.toString());
        }
        return new UsageTotals(group, rs.getLong("requests"), rs.getLong("attempts"), rs.getLong("failed"),
            rs.getLong("input_tokens"), rs.getLong("cached"), rs.getLong("output_tokens"), usd(rs, "cost"),
            rs.getLong("est_attempts"), rs.getLong("est_input_tokens"), rs.getLong("est_output_tokens"), usd(rs, "est_cost"));
      }).list();
    });
  }

  /** The grand total over {@code filter}. */
  public UsageTotals total(UsageFilter filter) {
    return totals(List.of(), filter).get(0);
  }

  /** Every row whose request id starts with {@code prefix}, oldest first (a pipeline run's rows). */
  public List<UsageRecord> byRequestIdPrefix(String prefix) {
    return rows(UsageFilter.ALL.withRequestIdPrefix(prefix), 1_000_000);
  }

  /** Rows matching {@code filter}, oldest first, at most {@code limit}. */
  public List<UsageRecord> rows(UsageFilter filter, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM usage_ledger");
    Map<String, Object> binds = where(sql, filter);
    // by time: a single-attempt request's row (the request log's) has no id of its own (V11)
    sql.append(" ORDER BY at, request_id, id LIMIT ").append(Math.max(0, limit));
    return db.jdbi().withHandle(h -> {
      Query q = h.createQuery(sql.toString());
      binds.forEach(q::bind);
      return q.map((rs, ctx) -> row(rs)).list();
    });
  }

  private static Map<String, Object> where(StringBuilder sql, UsageFilter f) {
    Map<String, Object> binds = new LinkedHashMap<>();
    if (f == null) return binds;
    List<String> conds = new ArrayList<>();
    if (f.from() != null) { conds.add("at >= :from"); binds.put("from", OffsetDateTime.ofInstant(f.from(), ZoneOffset.UTC)); }
    if (f.to() != null) { conds.add("at < :to"); binds.put("to", OffsetDateTime.ofInstant(f.to(), ZoneOffset.UTC)); }
    if (f.apiKeyId() != null) { conds.add("api_key_id = :key"); binds.put("key", f.apiKeyId()); }
    if (f.task() != null) { conds.add("task = :task"); binds.put("task", f.task()); }
    if (f.provider() != null) { conds.add("provider = :provider"); binds.put("provider", f.provider()); }
    if (f.model() != null) { conds.add("model = :model"); binds.put("model", f.model()); }
    if (f.requestIdPrefix() != null) {
      conds.add("request_id LIKE :prefix ESCAPE '!'");
      binds.put("prefix", f.requestIdPrefix().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
    }
    if (!conds.isEmpty()) sql.append(" WHERE ").append(String.join(" AND ", conds));
    return binds;
  }

  static UsageRecord row(ResultSet rs) throws SQLException {
    OffsetDateTime at = rs.getObject("at", OffsetDateTime.class);
    BigDecimal cost = rs.getBigDecimal("cost_usd");
    return new UsageRecord(at.toInstant(), rs.getString("request_id"), rs.getString("api_key_id"), rs.getString("task"),
        rs.getString("provider"), rs.getString("model"), intOrNull(rs, "input_tokens"), intOrNull(rs, "cached_input_tokens"),
        intOrNull(rs, "output_tokens"), cost.doubleValue(), rs.getLong("latency_ms"), rs.getString("outcome"),
        intOrNull(rs, "status"), rs.getBoolean("streamed"), rs.getBoolean("usage_estimated"));
    // (requested_model is not an attempt column: the request log has it)
  }

  private static BigDecimal usd(ResultSet rs, String col) throws SQLException {
    BigDecimal v = rs.getBigDecimal(col);
    return v == null ? BigDecimal.ZERO : v.stripTrailingZeros();
  }

  private static Integer intOrNull(ResultSet rs, String col) throws SQLException {
    int v = rs.getInt(col);
    return rs.wasNull() ? null : v;
  }
}
