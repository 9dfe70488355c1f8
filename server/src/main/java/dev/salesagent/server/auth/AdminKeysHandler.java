package dev.salesagent.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.budget.BudgetSnapshot;
import dev.salesagent.router.keys.ApiKey;
import dev.salesagent.router.routing.UsageFilter;
import dev.salesagent.router.routing.UsageTotals;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.Bodies;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.JsonOut;
import dev.salesagent.server.http.Money;
import dev.salesagent.server.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin key management (admin scope only): {@code POST /v1/admin/keys} creates a key and returns it once,
 * {@code GET /v1/admin/keys} lists keys with spend (all time, from the ledger) and this month's budget standing,
 * {@code PATCH /v1/admin/keys/{id}} changes its budget and rpm, {@code DELETE /v1/admin/keys/{id}} revokes.
 */
public final class AdminKeysHandler {
  private final Vertx vertx;
  private final GatewayServices s;

  public AdminKeysHandler(Vertx vertx, GatewayServices s) {
    this.vertx = vertx;
    this.s = s;
  }

  public void create(ClientExchange x) {
    Bodies.readAfter(Gate.admit(x, s, false, true), x.req, 64 * 1024).compose(b -> {
      JsonNode root = dev.salesagent.server.http.StrictJson.parse(b);
      if (root == null || !root.isObject()) throw ApiException.invalid(null, "the body must be a JSON object: {\"name\": \"…\", \"scope\": \"client\", \"budget_usd\": 10, \"rpm\": 60, \"tpm\": 100000}");
      JsonNode name = root.get("name");
      if (name == null || !name.isTextual() || name.textValue().isBlank()) throw ApiException.invalid("name", "name is required (a non-empty string)");
      if (name.textValue().trim().length() > ApiKey.MAX_NAME) {
        throw ApiException.invalid("name", "name must be at most " + ApiKey.MAX_NAME + " characters");
      }
      ApiKey.Scope scope;
      try {
        scope = root.hasNonNull("scope") ? ApiKey.Scope.fromWire(root.get("scope").asText()) : ApiKey.Scope.CLIENT;
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("scope", e.getMessage());
      }
      return s.keys().create(name.textValue(), scope, budget(root), rpm(root), tpm(root));
    }).onSuccess(c -> Responses.json(x.resp, 201, JsonOut.buffer(g -> {
      g.writeStartObject();
      g.writeStringField("id", c.key().id());
      g.writeStringField("key", c.plaintext());
      keyFields(g, c.key());
      g.writeEndObject();
    }))).onFailure(t -> {
      Bodies.abandon(x.req);
      Responses.sendOpenAiError(x.resp, ApiError.from(t), x.requestId);
    });
  }

  /** {@code budget_usd} of the body: {@code null} when absent or null; a 400 naming the rule when out of range. */
  private static Double budget(JsonNode root) {
    if (!root.hasNonNull("budget_usd")) return null;
    double v = root.get("budget_usd").doubleValue();
    if (!root.get("budget_usd").isNumber() || !(v >= 0 && v <= ApiKey.MAX_BUDGET_USD)) {
      throw ApiException.invalid("budget_usd", ApiKey.BUDGET_RULE);
    }
    return v;
  }

  private static Integer tpm(JsonNode root) {
    if (!root.hasNonNull("tpm")) return null;
    JsonNode t = root.get("tpm");
    if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 1 || t.intValue() > ApiKey.MAX_TPM) {
      throw ApiException.invalid("tpm", ApiKey.TPM_RULE);
    }
    return t.intValue();
  }

  private static Integer rpm(JsonNode root) {
    if (!root.hasNonNull("rpm")) return null;
    JsonNode r = root.get("rpm");
    if (!r.isIntegralNumber() || !r.canConvertToInt() || r.intValue() < 1 || r.intValue() > ApiKey.MAX_RPM) {
      throw ApiException.invalid("rpm", ApiKey.RPM_RULE);
    }
    return r.intValue();
  }

  /**
   * {@code PATCH /v1/admin/keys/{id}} {@code {"budget_usd": 20, "rpm": 60}}: a field given changes that limit
   * ({@code null} removes it), a field left out keeps it. 200 with the key (never the key itself); 404 for no such
   * active key.
   */
  public void update(ClientExchange x, String id) {
    Bodies.readAfter(Gate.admit(x, s, false, true), x.req, 64 * 1024).compose(b -> {
      JsonNode root = dev.salesagent.server.http.StrictJson.parse(b);
      String usage = "the body must be a JSON object with budget_usd, rpm and/or tpm: {\"budget_usd\": 20, \"rpm\": 60, \"tpm\": 100000}";
      if (root == null || !root.isObject()) throw ApiException.invalid(null, usage);
      var it = root.fieldNames();
      while (it.hasNext()) {
        String f = it.next();
        if (!f.equals("budget_usd") && !f.equals("rpm") && !f.equals("tpm")) {
          throw ApiException.invalid(f, "only budget_usd, rpm and tpm can be changed");
        }
      }
      if (!root.has("budget_usd") && !root.has("rpm") && !root.has("tpm")) throw ApiException.invalid(null, usage);
      return s.keys().updateLimits(id, root.has("budget_usd"), budget(root), root.has("rpm"), rpm(root), root.has("tpm"),
          tpm(root));
    }).onSuccess(k -> {
      if (k.isEmpty()) {
        Responses.sendOpenAiError(x.resp, ApiError.notFound("key_not_found", "no active key with id '" + id + "'"), x.requestId);
        return;
      }
      Responses.json(x.resp, 200, JsonOut.buffer(g -> {
        g.writeStartObject();
        g.writeStringField("id", id);
        keyFields(g, k.get());
        g.writeEndObject();
      }));
    }).onFailure(t -> {
      Bodies.abandon(x.req);
      Responses.sendOpenAiError(x.resp, ApiError.from(t), x.requestId);
    });
  }

  private static void keyFields(com.fasterxml.jackson.core.JsonGenerator g, ApiKey k) throws java.io.IOException {
    g.writeStringField("name", k.name());
    g.writeStringField("prefix", k.prefix());
    g.writeStringField("scope", k.scope().wire());
    if (k.budgetUsd() == null) g.writeNullField("budget_usd"); else g.writeNumberField("budget_usd", Money.usdNumber(k.budgetUsd()));
    if (k.rpm() == null) g.writeNullField("rpm"); else g.writeNumberField("rpm", k.rpm());
    if (k.tpm() == null) g.writeNullField("tpm"); else g.writeNumberField("tpm", k.tpm());
    g.writeStringField("created_at", k.createdAt().toString());
    g.writeStringField("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
  }

  public void list(ClientExchange x) {
    Gate.admit(x, s, false, true).compose(p -> s.keys().list()).compose(keys -> {
      Future<Map<String, UsageTotals>> spend = s.usage() == null ? Future.succeededFuture(Map.of())
          : vertx.executeBlocking(() -> {
            Map<String, UsageTotals> m = new HashMap<>();
            for (UsageTotals t : s.usage().totals(List.of("key"), UsageFilter.ALL)) m.put(t.group().get("key"), t);
            return m;
          }, false);
      List<Future<BudgetSnapshot>> snaps = new ArrayList<>();
      for (ApiKey k : keys) {
        snaps.add(s.budgets() == null ? Future.succeededFuture(null) : s.budgets().snapshot(k.id()));
      }
      return Future.all(spend, Future.all(snaps)).map(v -> {
        Map<String, UsageTotals> sp = spend.result();
        return JsonOut.buffer(g -> {
          g.writeStartObject();
          g.writeStringField("object", "list");
          g.writeArrayFieldStart("data");
          for (int i = 0; i < keys.size(); i++) {
            ApiKey k = keys.get(i);
            BudgetSnapshot snap = snaps.get(i).result();
            g.writeStartObject();
            g.writeStringField("id", k.id());
            keyFields(g, k);
            UsageTotals t = sp.get(k.id());
            g.writeNumberField("spent_usd", t == null ? BigDecimal.ZERO : t.costUsd());
            g.writeNumberField("requests", t == null ? 0 : t.requests());
            if (snap != null) {
              for (BudgetSnapshot.Scope sc : snap.scopes()) {
                if (!sc.scope().equals("key:" + k.id()) || !sc.period().equals("monthly")) continue;
                g.writeNumberField("month_spent_usd", Money.usdNumber(sc.spentUsd()));
                g.writeNumberField("month_reserved_usd", Money.usdNumber(sc.reservedUsd()));
                if (sc.remainingUsd() == null) g.writeNullField("remaining_budget_usd");
                else g.writeNumberField("remaining_budget_usd", Money.usdNumber(sc.remainingUsd()));
              }
            }
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
      });
    }).onSuccess(b -> Responses.json(x.resp, 200, b))
        .onFailure(t -> Responses.sendOpenAiError(x.resp, ApiError.from(t), x.requestId));
  }

  public void revoke(ClientExchange x, String id) {
    Gate.admit(x, s, false, true).compose(p -> s.keys().revoke(id)).onSuccess(ok -> {
      if (!ok) {
        Responses.sendOpenAiError(x.resp, ApiError.notFound("key_not_found", "no active key with id '" + id + "'"), x.requestId);
        return;
      }
      Responses.json(x.resp, 200, JsonOut.buffer(g -> {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeBooleanField("revoked", true);
        g.writeEndObject();
      }));
    }).onFailure(t -> Responses.sendOpenAiError(x.resp, ApiError.from(t), x.requestId));
  }
}
