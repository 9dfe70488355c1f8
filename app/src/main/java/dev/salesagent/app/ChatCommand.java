package dev.salesagent.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.config.ConfigException;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.routing.RouteHints;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamObserver;
import io.vertx.core.Future;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chat}: one prompt through the router. {@code --json} prints one compact JSON object (the CLI contract in
 * ARCHITECTURE.md); {@code --stream --json} prints {@code {"delta":…}} lines first. Exit 0 ok, 2 usage, 3 upstream
 * failure, 4 budget exceeded.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
    description = "Send one prompt through the router (task chains, fallbacks, budgets) and print the answer.")
final class ChatCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--task", description = "qualification|content|research|parsing|<configured>|auto (default: auto)")
  String task;

  @Option(names = "--provider", description = "pin a provider (its first model unless --model is given)")
  String provider;

  @Option(names = "--model", description = "pin a model: <provider>/<model>, a configured model id, task:<task> or auto")
  String model;

  @Option(names = "--strategy", description = "task|cost|latency (default: the configured default)")
  String strategy;

  @Option(names = "--stream", description = "stream the answer as it arrives")
  boolean stream;

  @Option(names = "--json", description = "print compact JSON (one object per line)")
  boolean json;

  @Option(names = "--system", paramLabel = "TEXT", description = "system prompt")
  String system;

  @Option(names = "--max-tokens", paramLabel = "N", description = "maximum output tokens")
  Integer maxTokens;

  @Option(names = "--image", paramLabel = "FILE", description = "attach an image (PNG, JPEG, GIF or WebP; repeatable):"
      + " the router plans only models with vision")
  List<Path> images;

  @Option(names = "--config", paramLabel = "FILE", description = "router configuration (default: $SALES_AGENT_CONFIG)")
  Path config;

  @Parameters(index = "0", paramLabel = "PROMPT", description = "the prompt")
  String prompt;

  @Override
  public Integer call() {
    PrintStream out = RouterBoot.utf8Out();
    PrintStream err = RouterBoot.utf8Err();
    if (maxTokens != null && maxTokens < 1) return usage(out, err, "--max-tokens must be at least 1");
    if (prompt == null || prompt.isBlank()) return usage(out, err, "PROMPT must not be empty");
    if (strategy != null && !RouterConfig.STRATEGIES.contains(strategy)) {
      return usage(out, err, "unknown strategy '" + strategy + "': write task, cost or latency");
    }
    RouterConfig cfg;
    try {
      cfg = RouterBoot.loadConfig(config);
    } catch (ConfigException e) {
      return usage(out, err, "configuration error: " + e.getMessage());
    }
    if (task != null && !"auto".equals(task) && !cfg.tasks().containsKey(task)) {
      return usage(out, err, "unknown task '" + task + "' (configured: " + String.join(", ", cfg.tasks().keySet()) + ", auto)");
    }
    List<Message> msgs = new ArrayList<>(2);
    if (system != null && !system.isBlank()) msgs.add(Message.system(system));
    if (images == null || images.isEmpty()) {
      msgs.add(Message.user(prompt));
    } else {
      List<ContentPart> parts = new ArrayList<>(images.size() + 1);
      try {
        for (Path p : images) parts.add(ImageFiles.read(p));
      } catch (IllegalArgumentException e) {
        return usage(out, err, e.getMessage());
      }
      parts.add(new ContentPart.Text(prompt));
      msgs.add(Message.of(Role.USER, parts));
    }
    ChatRequest chat = new ChatRequest(msgs, maxTokens, null, List.of(), null, List.of());
    RouteRequest req = new RouteRequest("cli-" + UUID.randomUUID(), chat, task, strategy, provider, model, RouteHints.NONE, null);

    try (RouterBoot boot = RouterBoot.start(cfg)) {
      long t0 = System.nanoTime();
      Future<RoutedResponse> f;
      if (stream) {
        StreamObserver obs = event -> {
          if (event instanceof StreamEvent.TextDelta td) {
            if (json) {
              ObjectNode d = JSON.createObjectNode();
              d.put("delta", td.text());
              out.println(d.toString());
            } else {
              out.print(td.text());
              out.flush();
            }
          }
        };
        f = boot.runtime().router().stream(req, obs);
      } else {
        f = boot.runtime().router().chat(req);
      }
      RoutedResponse r;
      try {
        r = f.toCompletionStage().toCompletableFuture().get();
      } catch (ExecutionException ee) {
        Throwable c = ee.getCause();
        if (stream && !json) out.println();
        return failure(out, err, c);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return failure(out, err, ie);
      }
      long latencyMs = (System.nanoTime() - t0) / 1_000_000;
      if (json) {
        out.println(resultJson(r, latencyMs).toString());
      } else if (stream) {
        out.println();
      } else {
        out.println(r.response().text());
      }
      out.flush();
      return Main.EXIT_OK;
    } catch (LlmException e) {
      return failure(out, err, e);
    }
  }

  static ObjectNode resultJson(RoutedResponse r, long latencyMs) {
    ChatResponse resp = r.response();
    ObjectNode o = JSON.createObjectNode();
    o.put("provider", resp.provider());
    o.put("model", resp.model());
    o.put("text", resp.text() == null ? "" : resp.text());
    if (resp.finishReason() == null) o.putNull("finish_reason");
    else o.put("finish_reason", resp.finishReason().wire());
    Usage u = resp.usage();
    ObjectNode usage = o.putObject("usage");
    putInt(usage, "input_tokens", u.inputTokens());
    putInt(usage, "output_tokens", u.outputTokens());
    putInt(usage, "cached_input_tokens", u.cachedInputTokens());
    o.put("cost_usd", r.costUsd());
    o.put("latency_ms", latencyMs);
    o.set("attempts", attemptsJson(r.attempts()));
    return o;
  }

  static ArrayNode attemptsJson(List<Attempt> attempts) {
    ArrayNode a = JSON.createArrayNode();
    for (Attempt at : attempts) {
      ObjectNode x = a.addObject();
      x.put("provider", at.provider());
      x.put("model", at.model());
      x.put("outcome", at.outcome());
      if (at.status() == null) x.putNull("status");
      else x.put("status", at.status());
      x.put("latency_ms", at.latencyMs());
    }
    return a;
  }

  private static void putInt(ObjectNode o, String k, Integer v) {
    if (v == null) o.putNull(k);
    else o.put(k, v);
  }

  private int usage(PrintStream out, PrintStream err, String message) {
    if (json) out.println(errorJson("invalid_request", message, List.of()).toString());
    else err.println("sales-agent chat: " + message);
    return Main.EXIT_USAGE;
  }

  private int failure(PrintStream out, PrintStream err, Throwable t) {
    String type;
    String message;
    List<Attempt> attempts = List.of();
    int code;
    if (t instanceof LlmException e) {
      type = e.kind().wire();
      message = e.getMessage();
      attempts = e.attempts();
      code = e.kind() == ErrorKind.BUDGET_EXCEEDED ? Main.EXIT_BUDGET
          : e.kind() == ErrorKind.INVALID_REQUEST && attempts.isEmpty() ? Main.EXIT_USAGE
          : Main.EXIT_UPSTREAM;
    } else {
      type = "upstream_error";
      message = LlmException.safeMessage(String.valueOf(t.getMessage()));
      code = Main.EXIT_UPSTREAM;
    }
    if (json) {
      out.println(errorJson(type, message, attempts).toString());
    } else {
      err.println("sales-agent chat: " + type + ": " + message);
      for (Attempt a : attempts) {
        err.println("  attempt " + a.provider() + "/" + a.model() + " " + a.outcome()
            + (a.status() == null ? "" : " " + a.status()) + " " + a.latencyMs() + " ms");
      }
    }
    out.flush();
    return code;
  }

  static ObjectNode errorJson(String type, String message, List<Attempt> attempts) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode e = o.putObject("error");
    e.put("type", type);
    e.put("message", message);
    e.set("attempts", attemptsJson(attempts));
    return o;
  }
}
