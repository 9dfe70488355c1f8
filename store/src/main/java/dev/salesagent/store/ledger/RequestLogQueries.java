package dev.salesagent.store.ledger;

import dev.salesagent.router.routing.RequestLog;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.store.Database;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link RequestLog} over {@code request_log} and {@code usage_ledger}. The page query is a keyset scan, newest-finished
 * first, on {@code (ended_at, request_id)} — or on {@code (api_key_id | provider | model, ended_at, request_id)} when
 * that filter is given — so the first and the thousandth page cost the same (never OFFSET). Blocking.
 */
public final class RequestLogQueries implements RequestLog {
  private final Database db;

  public RequestLogQueries(Database db) {
    this.db = db;
  }

  @Override
  public List<Entry> page(Filter f, Cursor cursor, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM request_log");
    Map<String, Object> binds = new LinkedHashMap<>();
    List<String> conds = new ArrayList<>();
    Filter filter = f == null ? Filter.ALL : f;
    if (filter.apiKeyId() != null) { conds.add("api_key_id = :key"); binds.put("key", filter.apiKeyId()); }
    if (filter.provider() != null) { conds.add("provider = :provider"); binds.put("provider", filter.provider()); }
    if (filter.model() != null) { conds.add("model = :model"); binds.put("model", filter.model()); }
    if (filter.outcome() != null) {
      if (filter.outcome().equals("error")) {
        conds.add("outcome <> 'ok'");
      } else {
        conds.add("outcome = :outcome");
        binds.put("outcome", filter.outcome());
      }
    }
    if (filter.q() != null && !filter.q().isBlank()) {
      conds.add("request_id LIKE :q ESCAPE '!'");
      binds.put("q", filter.q().strip().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
    }
    if (cursor != null) {
      // the first conjunct bounds the index range; the second breaks ties within one instant
      conds.add("ended_at <= :ct AND (ended_at < :ct OR request_id < :cid)");
      binds.put("ct", ts(cursor.endedAt()));
      binds.put("cid", cursor.requestId());
    }
    if (!conds.isEmpty()) sql.append(" WHERE ").append(String.join(" AND ", conds));
    // With an equality filter, the filtered column leads the ORDER BY (a constant: the order is the same): H2 then
    // reads its (column, ended_at, request_id) index in order and stops after `limit` rows; without it H2 reads
    // every matching row and sorts them (250,000 rows for one provider in a log of a million). PostgreSQL needs no
    // such help but is not hurt by it.
    String lead = filter.apiKeyId() != null ? "api_key_id DESC, " : filter.provider() != null ? "provider DESC, "
        : filter.model() != null ? "model DESC, " : "";
    sql.append(" ORDER BY ").append(lead).append("ended_at DESC, request_id DESC LIMIT ").append(Math.max(1, limit));
    return db.jdbi().withHandle(h -> {
      Query q = h.createQuery(sql.toString());
      binds.forEach(q::bind);
      return q.map((rs, ctx) -> entry(rs)).list();
    });
  }

  @Override
  public Optional<Detail> find(String requestId, String keyIdOrNull) {
    return db.jdbi().withHandle(h -> {
      Query q = h.createQuery("SELECT * FROM request_log WHERE request_id = :id" + (keyIdOrNull == null ? "" : " AND api_key_id = :key"))
          .bind("id", requestId);
      if (keyIdOrNull != null) q.bind("key", keyIdOrNull);
      Optional<Entry> e = q.map((rs, ctx) -> entry(rs)).findOne();
      if (e.isEmpty()) return Optional.<Detail>empty();
      List<UsageRecord> attempts = h.createQuery("SELECT * FROM usage_ledger WHERE request_id = :id ORDER BY at, id")
          .bind("id", requestId).map((rs, ctx) -> UsageQueries.row(rs)).list();
      return Optional.of(new Detail(e.get(), attempts));
    });
  }

  @Override
  public List<Bucket> timeseries(Instant from, Instant to, BucketSize bucket, Split by, String keyIdOrNull) {
    long width = bucket.width().toSeconds();
    String group = by == null ? "''" : SPLIT_COLUMNS.get(by);
    // epoch arithmetic buckets in UTC the same way on H2 and PostgreSQL (no session time zone involved)
    String slot = "FLOOR(EXTRACT(EPOCH FROM at) / " + width + ")";
    StringBuilder sql = new StringBuilder("SELECT " + slot + " AS slot, " + group + " AS grp,"
        + " COUNT(DISTINCT request_id) AS requests, COUNT(*) AS attempts,"
        + " SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END) AS failed,"
        + " SUM(CASE WHEN attempt_kind = 'retry' THEN 1 ELSE 0 END) AS retries,"
        + " SUM(CASE WHEN attempt_kind = 'fallback' THEN 1 ELSE 0 END) AS fallbacks,"
        + " COALESCE(SUM(CASE WHEN usage_estimated THEN NULL ELSE input_tokens END), 0) AS input_tokens,"
        + " COALESCE(SUM(CASE WHEN usage_estimated THEN NULL ELSE output_tokens END), 0) AS output_tokens,"
        + " COALESCE(SUM(cost_usd), 0) AS cost FROM usage_ledger WHERE at >= :from AND at < :to");
    if (keyIdOrNull != null) sql.append(" AND api_key_id = :key");
    sql.append(" GROUP BY ").append(slot).append(by == null ? "" : ", " + group).append(" ORDER BY slot, grp");
    return db.jdbi().withHandle(h -> {
      Query q = h.createQuery(sql.toString()).bind("from", ts(from)).bind("to", ts(to));
      if (keyIdOrNull != null) q.bind("key", keyIdOrNull);
      return q.map((rs, ctx) -> new Bucket(Instant.ofEpochSecond(rs.getBigDecimal("slot").longValue() * width),
          by == null ? null : rs.getString("grp"), rs.getLong("requests"), rs.getLong("attempts"), rs.getLong("failed"),
          rs.getLong("retries"), rs.getLong("fallbacks"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
          usd(rs.getBigDecimal("cost")))).list();
    });
  }

  @Override
  public List<TargetStats> providerStats(Instant since) {
    // ordered-set aggregates: the same SQL on H2 2.x and PostgreSQL; the (at) index bounds the window
    String sql = "SELECT provider, model, COUNT(*) AS attempts, SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END) AS failed,"
        + " PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY latency_ms) AS lat50,"
        + " PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY latency_ms) AS lat95,"
        + " PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY ttft_ms) AS ttft50,"
        + " PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY ttft_ms) AS ttft95"
        + " FROM usage_ledger WHERE at >= :since GROUP BY provider, model ORDER BY provider, model";
    return db.jdbi().withHandle(h -> h.createQuery(sql).bind("since", ts(since)).map((rs, ctx) -> new TargetStats(
        rs.getString("provider"), rs.getString("model"), rs.getLong("attempts"), rs.getLong("failed"),
        dbl(rs, "lat50"), dbl(rs, "lat95"), dbl(rs, "ttft50"), dbl(rs, "ttft95"))).list());
  }

  private static Double dbl(ResultSet rs, String col) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? null : v;
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    int status = rs.getInt("status");
    Integer st = rs.wasNull() ? null : status;
    long in = rs.getLong("input_tokens");
    Long input = rs.wasNull() ? null : in;
    long out = rs.getLong("output_tokens");
    Long output = rs.wasNull() ? null : out;
    return new Entry(rs.getString("request_id"), rs.getObject("started_at", OffsetDateTime.class).toInstant(),
        rs.getObject("ended_at", OffsetDateTime.class).toInstant(), rs.getString("api_key_id"), rs.getString("task"),
        rs.getString("requested_model"), rs.getString("first_provider"), rs.getString("provider"), rs.getString("model"),
        rs.getString("outcome"), st, rs.getInt("attempts"), rs.getInt("failed_attempts"), rs.getInt("retries"),
        rs.getInt("fallbacks"), input, output, usd(rs.getBigDecimal("cost_usd")), rs.getLong("latency_ms"),
        rs.getBoolean("streamed"));
  }

  private static BigDecimal usd(BigDecimal v) {
    return v == null ? BigDecimal.ZERO : v.stripTrailingZeros();
  }

  private static OffsetDateTime ts(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
