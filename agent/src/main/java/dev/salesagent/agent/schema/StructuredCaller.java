package dev.salesagent.agent.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.agent.prompt.PromptTemplate;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.routing.LlmRouter;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Asks the router for a JSON answer of a record type and accepts only a valid one: the schema derived from the
 * record goes out as {@link ResponseFormat.JsonSchema} (each adapter maps it to its provider's best mechanism), the
 * answer is checked against the schema, then against the record's constructor rules, then against the use case's
 * domain rules (quotes found in the source and the like). A bad answer gets exactly one repair call that quotes
 * the errors; if that one is bad too the call fails with {@link StructuredOutputException}. A truncated answer
 * ({@code finish_reason: length}) is reported as such: repairing it would only truncate again.
 */
public final class StructuredCaller {
  private final LlmRouter router;

  public StructuredCaller(LlmRouter router) {
    this.router = router;
  }

  /**
   * @param task        the router task ({@code qualification}, {@code research}, {@code content}, {@code parsing})
   * @param requestId   the base request id; calls use {@code <base>:1} and {@code <base>:2}
   * @param apiKeyId    the key that pays: both calls are checked against its budget and recorded under it in the
   *                    ledger; {@code null} = no key (global budgets only)
   * @param domainRules extra checks of a parsed value; an empty list means valid
   */
  public <T extends Record> Future<StructuredResult<T>> call(String task, Class<T> type, PromptTemplate.Rendered prompt,
      String requestId, String apiKeyId, Integer maxTokens, Function<T, List<String>> domainRules) {
    ObjectNode schema = SchemaDeriver.schema(type);
    String name = AgentJson.snake(type.getSimpleName());
    ChatRequest chat = new ChatRequest(
        List.of(Message.system(prompt.system()), Message.user(prompt.user())),
        maxTokens, 0.2, List.of(), new ResponseFormat.JsonSchema(name, schema, true), List.of());
    return attempt(task, type, schema, prompt, chat, requestId, apiKeyId, 1, domainRules, new Acc());
  }

  private static final class Acc {
    double cost;
    long latency;
    int fallbacks;
    final List<String> requestIds = new ArrayList<>();
  }

  private <T extends Record> Future<StructuredResult<T>> attempt(String task, Class<T> type, ObjectNode schema,
      PromptTemplate.Rendered prompt, ChatRequest chat, String baseId, String apiKeyId, int n,
      Function<T, List<String>> domainRules, Acc acc) {
    String rid = baseId + ":" + n;
    acc.requestIds.add(rid);
    RouteRequest req = RouteRequest.of(rid, chat).withTask(task).withApiKeyId(apiKeyId);
    return router.chat(req).compose(rr -> {
      acc.cost += rr.costUsd();
      acc.latency += rr.response().latencyMs();
      acc.fallbacks += (int) rr.attempts().stream().filter(a -> !a.ok()).count();
      String text = rr.response().text();
      if (rr.response().finishReason() == FinishReason.LENGTH) {
        return Future.failedFuture(new StructuredOutputException(task, "the answer was cut off at the token limit",
            List.of("finish_reason length"), text, n, acc.cost, rr.response().provider(), rr.response().model()));
      }
      if (rr.response().finishReason() == FinishReason.CONTENT_FILTER) {
        return Future.failedFuture(new StructuredOutputException(task, "the provider filtered the answer",
            List.of("finish_reason content_filter"), text, n, acc.cost, rr.response().provider(), rr.response().model()));
      }
      Validated<T> v = validate(type, schema, extractJson(rr), domainRules);
      if (v.value != null) {
        return Future.succeededFuture(new StructuredResult<>(v.value, prompt.promptId(), rr.response().provider(),
            rr.response().model(), acc.cost, n, acc.latency, acc.fallbacks, acc.requestIds));
      }
      if (n >= 2) {
        return Future.failedFuture(new StructuredOutputException(task,
            "the " + task + " answer was invalid after one repair attempt", v.errors, text, n, acc.cost,
            rr.response().provider(), rr.response().model()));
      }
      ChatRequest repair = chat.withMessages(List.of(
          chat.messages().get(0), chat.messages().get(1), Message.assistant(text.isEmpty() ? "{}" : text),
          Message.user(repairText(v.errors, prompt.user()))));
      return attempt(task, type, schema, prompt, repair, baseId, apiKeyId, n + 1, domainRules, acc);
    });
  }

  /** The repair message: the errors first, then the source text again (so quotes can be taken from it). */
  static String repairText(List<String> errors, String source) {
    StringBuilder sb = new StringBuilder("Your previous answer was rejected for these reasons:\n");
    for (String e : errors.subList(0, Math.min(errors.size(), 12))) sb.append("- ").append(e).append('\n');
    sb.append("Answer again with one corrected JSON object that matches the schema. Quotes must be copied exactly ")
        .append("from this text:\n\n").append(source);
    return sb.toString();
  }

  /** The answer's JSON text: the text itself, or a tool call's arguments when an adapter surfaced it that way. */
  private static String extractJson(RoutedResponse rr) {
    String t = rr.response().text();
    if ((t == null || t.isBlank()) && !rr.response().toolCalls().isEmpty()) return rr.response().toolCalls().get(0).argumentsJson();
    return t;
  }

  private record Validated<T>(T value, List<String> errors) {}

  static <T extends Record> Validated<T> validate(Class<T> type, ObjectNode schema, String text,
      Function<T, List<String>> domainRules) {
    JsonNode node;
    try {
      node = AgentJson.MAPPER.readTree(stripFences(text));
    } catch (Exception e) {
      return new Validated<>(null, List.of("the answer is not valid JSON (" + firstLine(e.getMessage()) + ")"));
    }
    if (node == null || node.isMissingNode()) return new Validated<>(null, List.of("the answer is empty"));
    List<String> errors = SchemaValidator.validate(schema, node);
    if (!errors.isEmpty()) return new Validated<>(null, errors);
    T value;
    try {
      value = AgentJson.MAPPER.treeToValue(node, type);
    } catch (ValueInstantiationException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      return new Validated<>(null, List.of(pathOf(e) + c.getMessage()));
    } catch (InvalidDefinitionException e) {
      throw new IllegalStateException("record " + type.getName() + " cannot be mapped", e);
    } catch (Exception e) {
      return new Validated<>(null, List.of("the answer does not fit " + type.getSimpleName() + ": " + firstLine(e.getMessage())));
    }
    List<String> domain = domainRules == null ? List.of() : domainRules.apply(value);
    return domain.isEmpty() ? new Validated<>(value, List.of()) : new Validated<>(null, domain);
  }

  private static String pathOf(com.fasterxml.jackson.databind.JsonMappingException e) {
    StringBuilder sb = new StringBuilder("$");
    for (var r : e.getPath()) sb.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
    return sb.length() > 1 ? sb + ": " : "";
  }

  static String stripFences(String t) {
    if (t == null) return "";
    String s = t.strip();
    if (s.startsWith("```")) {
      int nl = s.indexOf('\n');
      s = nl < 0 ? "" : s.substring(nl + 1);
      if (s.endsWith("```")) s = s.substring(0, s.length() - 3);
    }
    return s.strip();
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }
}
