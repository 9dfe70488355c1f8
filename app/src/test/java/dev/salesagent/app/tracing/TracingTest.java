package dev.salesagent.app.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.salesagent.agent.memory.InMemoryStore;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.pipeline.StepRecorder;
import dev.salesagent.agent.schema.StructuredResult;
import dev.salesagent.app.gateway.AssembledGatewayHarness;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.trace.AttemptTrace;
import dev.salesagent.router.trace.RequestTrace;
import dev.salesagent.router.trace.SpanHandle;
import dev.salesagent.router.trace.TraceScope;
import dev.salesagent.router.trace.Tracing;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Traces: a SERVER span per gateway request continuing the caller's {@code traceparent}, a CLIENT child span per
 * attempt with the GenAI semantic-convention attributes (a failed attempt with {@code error.type}), a span per lead
 * step holding its router calls' attempts, no secret in any attribute; one real OTLP/HTTP protobuf export to a receiver
 * in the test; and the off path: no endpoint, no SDK, only the shared no-op handles.
 */
class TracingTest {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CALLER_SPAN = "00f067aa0ba902b7";
  AssembledGatewayHarness h;
  OtelTracing tracing;

  @AfterEach
  void tearDown() {
    if (h != null) h.close();
    if (tracing != null) tracing.close();
  }

  static String attr(SpanData s, String key) {
    Object v = s.getAttributes().get(AttributeKey.stringKey(key));
    return v == null ? null : v.toString();
  }

  static Long longAttr(SpanData s, String key) {
    return s.getAttributes().get(AttributeKey.longKey(key));
  }

  @Test
  void gatewayRequestSpanContinuesTraceparentAndParentsItsAttempts() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    tracing = new OtelTracing(sdk);
    h = new AssembledGatewayHarness("", GatewayOptions.defaults().withPort(0).withEventLoops(2), tracing);
    // the first attempt is refused (overloaded), the retry answers
    h.emulator.faults().next("openai", Fault.OVERLOADED, 1);
    HttpResponse<String> r = h.post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY,
        "{\"model\":\"task:qualification\",\"messages\":[{\"role\":\"user\",\"content\":\"Score this lead\"}]}",
        "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    var usage = WireJson.parse(r.body()).get("usage");

    await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().size() >= 3);
    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData server = all.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    assertThat(server.getName()).isEqualTo("POST /v1/chat/completions");
    assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(longAttr(server, "http.response.status_code")).isEqualTo(200L);

    List<SpanData> attempts = all.stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
    assertThat(attempts).hasSize(2);
    for (SpanData a : attempts) {
      assertThat(a.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(a.getParentSpanId()).as("an attempt is a child of its request").isEqualTo(server.getSpanId());
      assertThat(a.getName()).isEqualTo("chat gpt-oss-120b");
      assertThat(attr(a, "gen_ai.operation.name")).isEqualTo("chat");
      assertThat(attr(a, "gen_ai.provider.name")).isEqualTo("cerebras");
      assertThat(attr(a, "gen_ai.request.model")).isEqualTo("gpt-oss-120b");
    }
    SpanData failed = attempts.stream().filter(a -> a.getStatus().getStatusCode() == StatusCode.ERROR).findFirst().orElseThrow();
    assertThat(attr(failed, "error.type")).isEqualTo("overloaded");
    SpanData ok = attempts.stream().filter(a -> a != failed).findFirst().orElseThrow();
    assertThat(attr(ok, "error.type")).isNull();
    assertThat(attr(ok, "gen_ai.response.model")).isNotBlank();
    assertThat(longAttr(ok, "gen_ai.usage.input_tokens")).isEqualTo(usage.get("prompt_tokens").asLong());
    assertThat(longAttr(ok, "gen_ai.usage.output_tokens")).isEqualTo(usage.get("completion_tokens").asLong());
    assertThat(ok.getStartEpochNanos()).isGreaterThanOrEqualTo(failed.getEndEpochNanos());

    // embeddings: the same shape, operation "embeddings"
    spans.reset();
    HttpResponse<String> e = h.post("/v1/embeddings", AssembledGatewayHarness.ADMIN_KEY, "{\"model\":\"auto\",\"input\":\"trace me\"}");
    assertThat(e.statusCode()).as(e.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().size() >= 2);
    SpanData emb = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    assertThat(emb.getName()).isEqualTo("embeddings nomic-embed-text");
    assertThat(attr(emb, "gen_ai.operation.name")).isEqualTo("embeddings");
    assertThat(attr(emb, "gen_ai.provider.name")).isEqualTo("ollama");
    assertThat(emb.getTraceId()).as("no traceparent: a new trace").isNotEqualTo(TRACE_ID);

    // no secret anywhere: not the caller's key, not a provider key
    for (SpanData s : all) {
      String text = s.getAttributes().toString() + s.getName();
      assertThat(text).doesNotContain(AssembledGatewayHarness.ADMIN_KEY).doesNotContain("test-key-");
    }
  }

  @Test
  void aLeadStepSpanHoldsItsRouterCallsAttempts() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    tracing = new OtelTracing(sdk);
    h = new AssembledGatewayHarness("", GatewayOptions.defaults().withPort(0).withEventLoops(2), tracing);
    StepRecorder recorder = new StepRecorder(h.vertx, new InMemoryStore(), Clock.systemUTC());
    recorder.traceWith(tracing);
    var llm = h.assembly.runtime().router();
    var rec = AssembledGatewayHarness.await(recorder.record("run-1", "lead-7", Step.QUALIFY, recorder.now(), () ->
        // two router calls in one step, the second started from the first one's answer (as a repair call is)
        llm.chat(RouteRequest.of("step-call-1", ChatRequest.user("qualify lead 7")).withTask("qualification"))
            .compose(first -> llm.chat(RouteRequest.of("step-call-2", ChatRequest.user("again")).withTask("qualification")))
            .map(second -> new StructuredResult<>("ok", "p1", "cerebras", "gpt-oss-120b", 0, 2, 1, 0, List.of("step-call-1", "step-call-2")))));
    assertThat(rec.done()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().size() >= 3);
    SpanData step = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.INTERNAL).findFirst().orElseThrow();
    assertThat(step.getName()).isEqualTo("qualify");
    assertThat(attr(step, "sales_agent.lead.id")).isEqualTo("lead-7");
    assertThat(attr(step, "sales_agent.run.id")).isEqualTo("run-1");
    List<SpanData> attempts = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
    assertThat(attempts).hasSize(2);
    for (SpanData a : attempts) {
      assertThat(a.getParentSpanId()).as("both router calls, the second started from the first's answer").isEqualTo(step.getSpanId());
      assertThat(a.getTraceId()).isEqualTo(step.getTraceId());
    }
  }

  @Test
  void realOtlpHttpProtobufExportFromTheEnvironmentVariables() throws Exception {
    List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
    List<String> contentTypes = new CopyOnWriteArrayList<>();
    io.vertx.core.Vertx vx = io.vertx.core.Vertx.vertx();
    try {
      HttpServer receiver = AssembledGatewayHarness.await(vx.createHttpServer().requestHandler(req ->
          req.body().onSuccess(b -> {
            try {
              contentTypes.add(req.getHeader("content-type") + " " + req.path());
              received.add(ExportTraceServiceRequest.parseFrom(b.getBytes()));
              req.response().putHeader("content-type", "application/x-protobuf").end();
            } catch (Exception ex) {
              req.response().setStatusCode(400).end();
            }
          })).listen(0, "127.0.0.1"));
      Tracing t = AppTracing.create(Map.of(
          "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.actualPort(),
          "OTEL_SERVICE_NAME", "sales-agent-test",
          "OTEL_BSP_SCHEDULE_DELAY", "20",
          "OTEL_TRACES_SAMPLER", "parentbased_always_on"), false);
      assertThat(t).isInstanceOf(OtelTracing.class);
      tracing = (OtelTracing) t;
      h = new AssembledGatewayHarness("", GatewayOptions.defaults().withPort(0).withEventLoops(2), tracing);
      HttpResponse<String> r = h.post("/v1/chat/completions", AssembledGatewayHarness.ADMIN_KEY,
          "{\"model\":\"task:parsing\",\"messages\":[{\"role\":\"user\",\"content\":\"parse: Ada, CTO\"}]}",
          "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> received.stream()
          .flatMap(x -> x.getResourceSpansList().stream()).flatMap(rs -> rs.getScopeSpansList().stream())
          .mapToInt(ss -> ss.getSpansCount()).sum() >= 2);
      assertThat(contentTypes.get(0)).isEqualTo("application/x-protobuf /v1/traces");
      var rs = received.get(0).getResourceSpans(0);
      assertThat(rs.getResource().getAttributesList()).anySatisfy(kv -> {
        assertThat(kv.getKey()).isEqualTo("service.name");
        assertThat(kv.getValue().getStringValue()).isEqualTo("sales-agent-test");
      });
      var protoSpans = received.stream().flatMap(x -> x.getResourceSpansList().stream())
          .flatMap(x -> x.getScopeSpansList().stream()).flatMap(x -> x.getSpansList().stream()).toList();
      var server = protoSpans.stream().filter(s -> s.getKind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)
          .findFirst().orElseThrow();
      var attempt = protoSpans.stream().filter(s -> s.getKind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT)
          .findFirst().orElseThrow();
      assertThat(HexFormat.of().formatHex(server.getTraceId().toByteArray())).isEqualTo(TRACE_ID);
      assertThat(HexFormat.of().formatHex(server.getParentSpanId().toByteArray())).isEqualTo(CALLER_SPAN);
      assertThat(attempt.getParentSpanId()).isEqualTo(server.getSpanId());
      Map<String, String> attrs = new java.util.HashMap<>();
      for (KeyValue kv : attempt.getAttributesList()) {
        attrs.put(kv.getKey(), kv.getValue().hasStringValue() ? kv.getValue().getStringValue() : String.valueOf(kv.getValue().getIntValue()));
      }
      assertThat(attrs).containsEntry("gen_ai.operation.name", "chat").containsEntry("gen_ai.provider.name", "ollama")
          .containsEntry("gen_ai.request.model", "llama3.2").containsKeys("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens");
    } finally {
      vx.close();
    }
  }

  @Test
  void withoutAnEndpointTracingIsOffAndOnlyNoOpHandlesExist() {
    assertThat(AppTracing.create(Map.of(), false)).isSameAs(Tracing.OFF);
    assertThat(AppTracing.create(Map.of("OTEL_SERVICE_NAME", "x", "OTEL_TRACES_SAMPLER", "always_on"), false)).isSameAs(Tracing.OFF);
    assertThat(AppTracing.create(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_SDK_DISABLED", "true"), false))
        .isSameAs(Tracing.OFF);
    assertThat(AppTracing.create(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_TRACES_EXPORTER", "none"), false))
        .isSameAs(Tracing.OFF);
    // the off path hands out shared constants: no span object per request, attempt or step
    assertThat(Tracing.OFF.request()).isSameAs(RequestTrace.NONE);
    assertThat(Tracing.OFF.request().attempt("chat", "p", "m", "t", false)).isSameAs(AttemptTrace.NONE);
    assertThat(Tracing.OFF.request().enter()).isSameAs(TraceScope.NONE);
    assertThat(Tracing.OFF.serverSpan("POST /v1/chat/completions", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01", null))
        .isSameAs(SpanHandle.NONE);
    assertThat(Tracing.OFF.workSpan("qualify", "l", "r")).isSameAs(SpanHandle.NONE);
    assertThat(SpanHandle.NONE.makeCurrent()).isSameAs(TraceScope.NONE);
  }
}
