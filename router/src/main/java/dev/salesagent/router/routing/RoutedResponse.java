package dev.salesagent.router.routing;

import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.model.ChatResponse;
import java.util.List;

/**
 * The router's answer: the provider's response plus how it was obtained.
 *
 * @param task       the task the request ran as (given or classified)
 * @param taskReason why that task, when it was classified; {@code null} when given
 * @param costUsd    the cost of every attempt of this request at list prices, from reported usage
 * @param attempts   every attempt, oldest first, the successful one last
 */
public record RoutedResponse(
    String requestId,
    ChatResponse response,
    String task,
    String taskReason,
    double costUsd,
    List<Attempt> attempts) {

  public RoutedResponse {
    attempts = List.copyOf(attempts);
  }
}
