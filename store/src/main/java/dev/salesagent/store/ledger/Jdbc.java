package dev.salesagent.store.ledger;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Nullable numbers for the ledger's plain-JDBC batches. */
final class Jdbc {
  private Jdbc() {}

  static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) ps.setNull(i, Types.INTEGER);
    else ps.setInt(i, v);
  }

  static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, v);
  }
}
