package dev.salesagent.router.routing;

import dev.salesagent.router.model.ChatRequest;
import java.util.Objects;

/**
 * A request to the router: what to ask plus how to route it.
 *
 * @param task      {@code qualification|content|research|parsing|<configured>}, {@code null} or {@code auto} = classify
 * @param strategy  {@code task|cost|latency}, {@code null} = configured default
 * @param provider  pin to one provider (its model from {@code model}, or the provider's first model), {@code null} = route
 * @param model     pin to one model id (with or without provider), {@code null} = route
 * @param apiKeyId  the caller's key id for per-key budgets and the ledger, {@code null} for the CLI
 */
public record RouteRequest(
    String requestId,
    ChatRequest chat,
    String task,
    String strategy,
    String provider,
    String model,
    RouteHints hints,
    String apiKeyId) {

  public RouteRequest {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(chat, "chat");
    hints = hints == null ? RouteHints.NONE : hints;
  }

  public static RouteRequest of(String requestId, ChatRequest chat) {
    return new RouteRequest(requestId, chat, null, null, null, null, RouteHints.NONE, null);
  }

  public RouteRequest withTask(String t) {
    return new RouteRequest(requestId, chat, t, strategy, provider, model, hints, apiKeyId);
  }

  /** The same request charged to {@code keyIdOrNull}'s budget and recorded under it in the ledger. */
  public RouteRequest withApiKeyId(String keyIdOrNull) {
    return new RouteRequest(requestId, chat, task, strategy, provider, model, hints, keyIdOrNull);
  }

  public RouteRequest withChat(ChatRequest c) {
    return new RouteRequest(requestId, c, task, strategy, provider, model, hints, apiKeyId);
  }
}
