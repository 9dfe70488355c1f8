package dev.salesagent.emulator;

import dev.salesagent.emulator.HubSpotRoutes.BadInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /crm/v3/objects/contacts/search}: filter groups (OR of groups, AND of filters within one; at most 5
 * groups, 6 filters each, 18 in all), the operators of HubSpot's search API, {@code properties} (default: createdate,
 * email, firstname, hs_object_id, lastmodifieddate, lastname), {@code limit} (default 10, at most 200) and paging by
 * {@code after} (an offset, as HubSpot's search answers it) up to HubSpot's 10,000-result ceiling. Results in id order.
 */
final class HubSpotSearch {
  private static final List<String> DEFAULT_PROPERTIES = List.of("createdate", "email", "firstname", "hs_object_id",
      "lastmodifieddate", "lastname");
  private static final Set<String> OPERATORS = Set.of("EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
      "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN");

  private final HubSpotEmulator state;

  HubSpotSearch(HubSpotEmulator state) {
    this.state = state;
  }

  Protocol.Reply search(JsonObject body) throws BadInput {
    int limit = body.getValue("limit") == null ? 10 : intValue(body.getValue("limit"), "limit");
    if (limit < 1 || limit > 200) throw new BadInput("limit must be between 1 and 200 (got " + limit + ")");
    int after = body.getValue("after") == null || String.valueOf(body.getValue("after")).isEmpty() ? 0
        : intValue(body.getValue("after"), "after");
    if (after + limit > 10_000) throw new BadInput("Search results are limited to 10,000; after " + after + " + limit " + limit);
    JsonArray groups = body.getValue("filterGroups") instanceof JsonArray g ? g : new JsonArray();
    if (groups.size() > 5) throw new BadInput("at most 5 filterGroups are allowed (got " + groups.size() + ")");
    Map<String, HubSpotEmulator.Property> known = state.propertyMap();
    int total = 0;
    for (Object g : groups) {
      JsonArray filters = g instanceof JsonObject go && go.getValue("filters") instanceof JsonArray f ? f : new JsonArray();
      if (filters.size() > 6) throw new BadInput("at most 6 filters per filterGroup are allowed (got " + filters.size() + ")");
      total += filters.size();
      for (Object f : filters) {
        JsonObject fo = f instanceof JsonObject o ? o : new JsonObject();
        String op = fo.getString("operator");
        if (op == null || !OPERATORS.contains(op)) throw new BadInput("operator '" + op + "' is not one of " + OPERATORS);
        String prop = fo.getString("propertyName");
        if (prop == null || !known.containsKey(prop)) throw new BadInput("propertyName '" + prop + "' is not a contact property");
      }
    }
    if (total > 18) throw new BadInput("at most 18 filters are allowed in all (got " + total + ")");
    List<String> props = new ArrayList<>();
    if (body.getValue("properties") instanceof JsonArray pa && !pa.isEmpty()) {
      for (Object p : pa) props.add(String.valueOf(p));
    } else {
      props.addAll(DEFAULT_PROPERTIES);
    }
    List<HubSpotEmulator.Contact> matching = new ArrayList<>();
    for (HubSpotEmulator.Contact c : state.contacts()) {
      if (groups.isEmpty() || groups.stream().anyMatch(g -> groupMatches((JsonObject) g, c, known))) matching.add(c);
    }
    matching.sort(Comparator.comparingLong(c -> Long.parseLong(c.id())));
    JsonArray results = new JsonArray();
    for (int i = after; i < Math.min(matching.size(), after + limit); i++) {
      HubSpotEmulator.Contact c = matching.get(i);
      JsonObject p = new JsonObject();
      for (String name : props) p.put(name, c.properties().get(name));
      results.add(new JsonObject().put("id", c.id()).put("properties", p).put("createdAt", c.createdAt().toString())
          .put("updatedAt", c.updatedAt().toString()).put("archived", false));
    }
    JsonObject out = new JsonObject().put("total", matching.size()).put("results", results);
    if (after + limit < matching.size()) {
      String next = Integer.toString(after + limit);
      out.put("paging", new JsonObject().put("next", new JsonObject().put("after", next).put("link", "?after=" + next)));
    }
    return Protocol.Reply.json(200, out.encode(), HubSpotRoutes.JSON);
  }

  private static boolean groupMatches(JsonObject group, HubSpotEmulator.Contact c, Map<String, HubSpotEmulator.Property> known) {
    JsonArray filters = group.getValue("filters") instanceof JsonArray f ? f : new JsonArray();
    for (Object f : filters) if (!filterMatches((JsonObject) f, c, known)) return false;
    return true;
  }

  private static boolean filterMatches(JsonObject f, HubSpotEmulator.Contact c, Map<String, HubSpotEmulator.Property> known) {
    String prop = f.getString("propertyName");
    String actual = c.properties().get(prop);
    String op = f.getString("operator");
    String type = known.get(prop).type();
    switch (op) {
      case "HAS_PROPERTY": return actual != null;
      case "NOT_HAS_PROPERTY": return actual == null;
      case "IN", "NOT_IN": {
        boolean in = false;
        JsonArray values = f.getValue("values") instanceof JsonArray v ? v : new JsonArray();
        for (Object v : values) if (actual != null && compare(actual, String.valueOf(v), type) == 0) in = true;
        return op.equals("IN") == in;
      }
      case "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN": {
        boolean has = actual != null && tokenMatch(actual, String.valueOf(f.getValue("value")));
        return op.equals("CONTAINS_TOKEN") == has;
      }
      default: break;
    }
    if (actual == null) return op.equals("NEQ");
    String value = String.valueOf(f.getValue("value"));
    int cmp = compare(actual, value, type);
    return switch (op) {
      case "EQ" -> cmp == 0;
      case "NEQ" -> cmp != 0;
      case "LT" -> cmp < 0;
      case "LTE" -> cmp <= 0;
      case "GT" -> cmp > 0;
      case "GTE" -> cmp >= 0;
      case "BETWEEN" -> cmp >= 0 && compare(actual, String.valueOf(f.getValue("highValue")), type) <= 0;
      default -> false;
    };
  }

  /** Dates as instants (a filter value may be epoch milliseconds or ISO 8601), numbers as numbers, text ignoring case. */
  private static int compare(String actual, String value, String type) {
    if (type.equals("datetime") || type.equals("date")) {
      Instant a = instant(actual);
      Instant v = instant(value);
      if (a != null && v != null) return a.compareTo(v);
    }
    if (type.equals("number")) {
      try {
        return new BigDecimal(actual).compareTo(new BigDecimal(value));
      } catch (NumberFormatException ignored) {
        // not numbers: compared as text
      }
    }
    return actual.toLowerCase(Locale.ROOT).compareTo(value.toLowerCase(Locale.ROOT));
  }

  private static Instant instant(String s) {
    try {
      if (s.chars().allMatch(Character::isDigit)) return Instant.ofEpochMilli(Long.parseLong(s));
      if (s.length() == 10) return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      return Instant.parse(s);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean tokenMatch(String actual, String token) {
    String t = token.toLowerCase(Locale.ROOT);
    if (t.startsWith("*")) return actual.toLowerCase(Locale.ROOT).endsWith(t.substring(1));
    for (String w : actual.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}@._-]+")) if (w.equals(t)) return true;
    return false;
  }

  private static int intValue(Object v, String name) throws BadInput {
    try {
      return v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw new BadInput(name + " must be an integer (got " + v + ")");
    }
  }
}
