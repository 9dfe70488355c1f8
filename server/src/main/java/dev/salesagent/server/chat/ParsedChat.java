package dev.salesagent.server.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.routing.RouteHints;
import dev.salesagent.router.routing.RouteRequest;
import java.util.EnumSet;
import java.util.Set;

/**
 * A client's chat request, parsed from any dialect, plus how to route it.
 *
 * @param echo what the dialect's answer repeats of the request (the Responses API echoes its parameters), or
 *             {@code null} for dialects that repeat nothing
 */
public record ParsedChat(String requestedModel, ModelCatalog.Resolved route, ChatRequest chat, boolean stream,
                         boolean includeUsage, ObjectNode echo) {

  public ParsedChat(String requestedModel, ModelCatalog.Resolved route, ChatRequest chat, boolean stream,
                    boolean includeUsage) {
    this(requestedModel, route, chat, stream, includeUsage, null);
  }

  public RouteRequest toRouteRequest(String requestId, String strategy, String apiKeyId) {
    Set<Capability> caps = EnumSet.noneOf(Capability.class);
    if (!(chat.responseFormat() instanceof dev.salesagent.router.model.ResponseFormat.Text)) caps.add(Capability.JSON);
    if (!chat.tools().isEmpty()) caps.add(Capability.TOOLS);
    RouteHints hints = caps.isEmpty() ? RouteHints.NONE : new RouteHints(caps, null, null);
    return new RouteRequest(requestId, chat, route.task(), strategy, route.provider(), route.model(), hints, apiKeyId);
  }
}
