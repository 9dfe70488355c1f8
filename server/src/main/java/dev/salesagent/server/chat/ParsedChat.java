package dev.salesagent.server.chat;

import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.routing.RouteHints;
import dev.salesagent.router.routing.RouteRequest;
import java.util.EnumSet;
import java.util.Set;

/** A client's chat request, parsed from either dialect, plus how to route it. */
public record ParsedChat(String requestedModel, ModelCatalog.Resolved route, ChatRequest chat, boolean stream,
                         boolean includeUsage) {

  public RouteRequest toRouteRequest(String requestId, String strategy, String apiKeyId) {
    Set<Capability> caps = EnumSet.noneOf(Capability.class);
    if (!(chat.responseFormat() instanceof dev.salesagent.router.model.ResponseFormat.Text)) caps.add(Capability.JSON);
    if (!chat.tools().isEmpty()) caps.add(Capability.TOOLS);
    RouteHints hints = caps.isEmpty() ? RouteHints.NONE : new RouteHints(caps, null, null);
    return new RouteRequest(requestId, chat, route.task(), strategy, route.provider(), route.model(), hints, apiKeyId);
  }
}
