package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.SplittableRandom;

/** Numbers for {@code integer} and {@code number} schemas: {@code minimum}/{@code maximum} (and exclusive), {@code multipleOf}. */
final class NumberValues {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private NumberValues() {}

  /** An integer within the bounds (exclusive ones too), a multiple of {@code multipleOf} where the bounds allow. */
  static long integer(JsonNode s, SplittableRandom r) {
    long lo = Long.MIN_VALUE, hi = Long.MAX_VALUE;
    if (s.has("minimum")) lo = (long) Math.ceil(s.get("minimum").asDouble());
    if (s.has("maximum")) hi = (long) Math.floor(s.get("maximum").asDouble());
    JsonNode em = s.get("exclusiveMinimum"), eM = s.get("exclusiveMaximum");
    if (em != null && em.isNumber()) lo = Math.max(lo, (long) Math.floor(em.asDouble()) + 1);
    if (em != null && em.isBoolean() && em.asBoolean() && s.has("minimum")) lo = (long) Math.floor(s.get("minimum").asDouble()) + 1;
    if (eM != null && eM.isNumber()) hi = Math.min(hi, (long) Math.ceil(eM.asDouble()) - 1);
    if (eM != null && eM.isBoolean() && eM.asBoolean() && s.has("maximum")) hi = (long) Math.ceil(s.get("maximum").asDouble()) - 1;
    if (lo == Long.MIN_VALUE && hi == Long.MAX_VALUE) {
      lo = 0;
      hi = 100;
    } else if (lo == Long.MIN_VALUE) {
      lo = hi - 100;
    } else if (hi == Long.MAX_VALUE) {
      hi = lo + 100;
    }
    if (hi < lo) hi = lo;
    long span = hi - lo + 1;
    long v = lo + (span <= 0 ? 0 : Math.floorMod(r.nextLong(), span));
    long mult = s.has("multipleOf") ? s.get("multipleOf").asLong() : 0;
    if (mult > 0) {
      long up = Math.floorDiv(v + mult - 1, mult) * mult;
      long down = Math.floorDiv(v, mult) * mult;
      if (up <= hi) v = up;
      else if (down >= lo) v = down;
    }
    return v;
  }

  /** A number within the bounds, on a grid of 0.25 where it fits; whole numbers as integers. */
  static JsonNode number(JsonNode s, SplittableRandom r) {
    double lo = Double.NaN, hi = Double.NaN;
    boolean exLo = false, exHi = false;
    if (s.has("minimum")) lo = s.get("minimum").asDouble();
    if (s.has("maximum")) hi = s.get("maximum").asDouble();
    JsonNode em = s.get("exclusiveMinimum"), eM = s.get("exclusiveMaximum");
    if (em != null && em.isNumber()) { lo = Double.isNaN(lo) ? em.asDouble() : Math.max(lo, em.asDouble()); exLo = true; }
    if (em != null && em.isBoolean() && em.asBoolean()) exLo = true;
    if (eM != null && eM.isNumber()) { hi = Double.isNaN(hi) ? eM.asDouble() : Math.min(hi, eM.asDouble()); exHi = true; }
    if (eM != null && eM.isBoolean() && eM.asBoolean()) exHi = true;
    if (Double.isNaN(lo) && Double.isNaN(hi)) { lo = 0; hi = 100; }
    else if (Double.isNaN(lo)) lo = hi - 100;
    else if (Double.isNaN(hi)) hi = lo + 100;
    // pick on a grid of 0.25 steps inside the open/closed interval
    double f = r.nextDouble();
    double v = lo + (hi - lo) * f;
    double q = Math.round(v * 4) / 4.0;
    if (q >= lo && q <= hi && !(exLo && q == lo) && !(exHi && q == hi)) v = q;
    if (exLo && v <= lo) v = lo + (hi - lo) / 2;
    if (exHi && v >= hi) v = lo + (hi - lo) / 2;
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return F.numberNode((long) v);
    return F.numberNode(v);
  }
}
