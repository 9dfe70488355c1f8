package dev.salesagent.server.sales;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.salesagent.agent.memory.InMemoryStore;
import dev.salesagent.agent.parse.ParseUseCase;
import dev.salesagent.agent.pipeline.LeadSteps;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.schema.StructuredCaller;
import dev.salesagent.emulator.SchemaInstanceGenerator;
import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.routing.LlmRouter;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.KeyRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SalesApiTest {
  static Vertx vertx;
  static HttpServer server;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();
  static String base;

  /** Answers like the emulators: a schema instance quoting the last user message. */
  static final class SchemaRouter implements LlmRouter {
    @Override
    public Future<RoutedResponse> chat(RouteRequest req) {
      var msgs = req.chat().messages();
      String last = msgs.get(msgs.size() - 1).content();
      var js = (ResponseFormat.JsonSchema) req.chat().responseFormat();
      String text = SchemaInstanceGenerator.generate(js.schema(), 11, last).toString();
      var r = new ChatResponse("x", "fake-" + req.task(), "m", text, null, List.of(), FinishReason.STOP, "stop", new Usage(10, 10, 0), 1, null);
      return Future.succeededFuture(new RoutedResponse(req.requestId(), r, req.task(), null, 0.001, List.of(new Attempt("fake", "m", "ok", 200, 1))));
    }

    @Override
    public Future<RoutedResponse> stream(RouteRequest request, StreamObserver observer) {
      return Future.failedFuture(new UnsupportedOperationException());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    InMemoryStore store = new InMemoryStore();
    SchemaRouter router = new SchemaRouter();
    KeyRegistry keys = new KeyRegistry(vertx, null, "admin-secret");
    keys.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    GatewayServices s = new GatewayServices(null, null, null, keys, null, null, null, null, null, GatewayOptions.defaults());
    SalesApi api = new SalesApi(vertx, s, store, LeadSteps.over(vertx, router, ScoringConfig.defaults(), store, store),
        new ParseUseCase(new StructuredCaller(router)));
    server = vertx.createHttpServer().requestHandler(req -> {
      if (!api.handle(req)) req.response().setStatusCode(404).end();
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + server.actualPort();
  }

  @AfterAll
  static void stop() {
    server.close();
    vertx.close();
  }

  static HttpResponse<String> call(String method, String path, String body, String contentType) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("authorization", "Bearer admin-secret");
    if (contentType != null) b.header("content-type", contentType);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void unauthenticatedCallsAreRefused() throws Exception {
    var r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/leads")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(json(r).at("/error/type").asText()).isNotEmpty();
  }

  @Test
  void crudImportStepsExportAndParse() throws Exception {
    var created = call("POST", "/v1/leads", "{\"first_name\":\"Dana\",\"email\":\"Dana@Northwind.com\",\"company\":\"Northwind\","
        + "\"job_title\":\"VP of Sales\",\"employees\":850,\"notes\":\"Budget approved for Q1, evaluating tools this quarter.\"}", "application/json");
    assertThat(created.statusCode()).isEqualTo(201);
    String id = json(created).get("id").asText();
    assertThat(json(created).get("email").asText()).isEqualTo("dana@northwind.com");
    assertThat(call("POST", "/v1/leads", "{\"email\":\"nope\"}", "application/json").statusCode()).isEqualTo(400);

    var imported = call("POST", "/v1/leads/import", "Email,First Name,Company\nsam@acme.io,Sam,=cmd()\nbad@,X,Y\nSAM@acme.io,,Acme\n", "text/csv");
    assertThat(imported.statusCode()).isEqualTo(200);
    JsonNode im = json(imported);
    assertThat(im.get("imported").asInt()).isEqualTo(1);
    assertThat(im.get("rejected").asInt()).isEqualTo(1);
    assertThat(im.get("merged").asInt()).isEqualTo(1);
    assertThat(im.at("/issues/0/line").asInt()).isEqualTo(3);

    var list = json(call("GET", "/v1/leads?limit=10", null, null));
    assertThat(list.get("total").asInt()).isEqualTo(2);

    assertThat(call("POST", "/v1/leads/" + id + "/outreach", null, null).statusCode()).isEqualTo(409);
    var q = call("POST", "/v1/leads/" + id + "/qualify", null, null);
    assertThat(q.statusCode()).as(q.body()).isEqualTo(200);
    assertThat(json(q).at("/result/tier").asText()).isIn("hot", "warm", "cold", "disqualified");
    assertThat(json(q).get("prompt_version").asText()).isEqualTo("qualify.v1");
    assertThat(json(q).get("provider").asText()).isEqualTo("fake-qualification");
    boolean engaged = !"disqualified".equals(json(q).at("/result/tier").asText());
    var res = call("POST", "/v1/leads/" + id + "/research", null, null);
    var out = call("POST", "/v1/leads/" + id + "/outreach", null, null);
    if (engaged) {
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      assertThat(out.statusCode()).as(out.body()).isEqualTo(200);
      assertThat(json(out).at("/result/unsubscribe_line").asText()).contains("unsubscribe");
    } else { // a disqualified lead gets no research and no draft
      assertThat(res.statusCode()).as(res.body()).isEqualTo(409);
      assertThat(json(res).at("/error/code").asText()).isEqualTo("lead_not_engaged");
      assertThat(out.statusCode()).as(out.body()).isEqualTo(409);
    }

    var one = json(call("GET", "/v1/leads/" + id, null, null));
    assertThat(one.at("/lead/email").asText()).isEqualTo("dana@northwind.com");
    assertThat(one.at("/qualify/status").asText()).isEqualTo("done");
    if (engaged) assertThat(one.at("/outreach/status").asText()).isEqualTo("done");

    var csv = call("GET", "/v1/leads/export", null, null);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
    assertThat(csv.body()).startsWith("First Name,Last Name,Email,Company,Job Title,Phone Number,Website URL,Industry,"
        + "Number of Employees,Country,Notes,Lead Score,Lead Tier,Qualification Reasons,Next Action,Outreach Subject,Outreach Body");
    assertThat(csv.body()).contains("'=cmd()");

    var parsed = call("POST", "/v1/parse", "{\"text\":\"Dana Reyes\\nVP of Sales, Northwind\\ndana@northwind.com\"}", "application/json");
    assertThat(parsed.statusCode()).isIn(200, 502);
    if (parsed.statusCode() == 200) assertThat(json(parsed).at("/contact/email").asText()).isEqualTo("dana@northwind.com");
    else assertThat(json(parsed).at("/error/code").asText()).isEqualTo("invalid_output");
    assertThat(call("POST", "/v1/parse", "{}", "application/json").statusCode()).isEqualTo(400);

    assertThat(call("DELETE", "/v1/leads/" + id, null, null).statusCode()).isEqualTo(204);
    assertThat(call("GET", "/v1/leads/" + id, null, null).statusCode()).isEqualTo(404);
    assertThat(call("PATCH", "/v1/leads", "{}", "application/json").statusCode()).isEqualTo(405);
  }
}
