package dev.salesagent.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnswerSemanticsTest extends EmulatorTestBase {

  static String anthropicText(RawHttp.Result r) throws Exception {
    return json(r.body).path("content").get(0).path("text").asText();
  }

  static String openAiText(RawHttp.Result r) throws Exception {
    return json(r.body).path("choices").get(0).path("message").path("content").asText();
  }

  static String ollamaText(RawHttp.Result r) throws Exception {
    return json(r.body).path("message").path("content").asText();
  }

  @Test
  void samePromptSameAnswerAcrossProtocolsAndModels() throws Exception {
    String q = "Qualify this lead: Dana Ruiz, VP Sales at Acme Corp, 250 employees.";
    String a1 = anthropicText(anthropic(anthropicBody("claude-sonnet-4-5", false, q)));
    String a2 = anthropicText(anthropic(anthropicBody("claude-haiku-4-5", false, q)));
    String o = openAiText(openai(openAiBody("deepseek-flash", false, q)));
    String l = ollamaText(ollama(ollamaBody("llama3.2", false, q)));
    assertThat(a1).isEqualTo(a2).isEqualTo(o).isEqualTo(l);
    String other = openAiText(openai(openAiBody("deepseek-flash", false, q + " Please be brief.")));
    assertThat(other).isNotEqualTo(o);
    // bytes identical apart from ids / timestamps
    String b1 = openai(openAiBody("deepseek-flash", false, q)).body.replaceAll("chatcmpl-EMU\\d+", "X").replaceAll("\"created\":\\d+", "");
    String b2 = openai(openAiBody("deepseek-flash", false, q)).body.replaceAll("chatcmpl-EMU\\d+", "X").replaceAll("\"created\":\\d+", "");
    assertThat(b1).isEqualTo(b2);
  }

  @Test
  void lengthsVaryWithThePrompt() throws Exception {
    java.util.Set<Integer> lengths = new java.util.HashSet<>();
    for (int i = 0; i < 30; i++) {
      String t = openAiText(openai(openAiBody("m", false, "question number " + i)));
      int w = TextGenerator.countWords(t);
      assertThat(w).isBetween(20, 75);
      lengths.add(w);
    }
    assertThat(lengths.size()).isGreaterThan(5);
  }

  @Test
  void systemPromptIsPartOfTheConversation() throws Exception {
    ObjectNode a = anthropicBody("claude-haiku-4-5", false, "hello");
    a.put("system", "You are terse.");
    ObjectNode o = openAiBody("gpt-oss-120b", false);
    ((ArrayNode) o.get("messages")).addObject().put("role", "system").put("content", "You are terse.");
    ((ArrayNode) o.get("messages")).addObject().put("role", "user").put("content", "hello");
    String at = anthropicText(anthropic(a));
    assertThat(openAiText(openai(o))).isEqualTo(at);
    assertThat(anthropicText(anthropic(anthropicBody("claude-haiku-4-5", false, "hello")))).isNotEqualTo(at);
  }

  @Test
  void prefillIsContinuedExactlyAcrossProtocols() throws Exception {
    String q = "Draft a two-line intro email for Acme.";
    String full = anthropicText(anthropic(anthropicBody("claude-sonnet-4-5", false, q)));
    List<String> pieces = TextGenerator.pieces(full);
    for (int cut : new int[] {1, pieces.size() / 3, pieces.size() / 2, pieces.size() - 1}) {
      String prefix = String.join("", pieces.subList(0, cut));
      String rest = full.substring(prefix.length());
      // Anthropic, non-streaming and streaming
      assertThat(anthropicText(anthropic(anthropicBody("claude-sonnet-4-5", false, q, prefix)))).isEqualTo(rest);
      assertThat(anthropicStreamText(anthropic(anthropicBody("claude-haiku-4-5", true, q, prefix)).body)).isEqualTo(rest);
      // OpenAI-compatible and Ollama continue the same answer
      assertThat(openAiText(openai(openAiBody("deepseek-flash", false, q, prefix)))).isEqualTo(rest);
      assertThat(openAiStreamText(openai(openAiBody("gpt-oss-120b", true, q, prefix)).body)).isEqualTo(rest);
      assertThat(ollamaStreamText(ollama(ollamaBody("llama3.2", true, q, prefix)).body)).isEqualTo(rest);
    }
    // usage counts only the emitted pieces
    String prefix = String.join("", pieces.subList(0, 5));
    JsonNode b = json(anthropic(anthropicBody("claude-sonnet-4-5", false, q, prefix)).body);
    assertThat(b.path("usage").path("output_tokens").asInt()).isEqualTo(pieces.size() - 5);
    // a cut stream's partial text, re-sent as prefill, yields exactly the rest
    RawHttp.Result cut = RawHttp.post(emu.port(), "/openai/v1/chat/completions", with(openAiHeaders(), "x-emulator-fault", "stream_cut"),
        openAiBody("gpt-oss-120b", true, q).toString(), 5000);
    String partial = openAiStreamText(cut.body);
    assertThat(partial).isNotEmpty();
    String continued = anthropicStreamText(anthropic(anthropicBody("claude-sonnet-4-5", true, q, partial)).body);
    assertThat(partial + continued).isEqualTo(full);
  }

  /** DeepSeek Chat Prefix Completion: {@code "prefix": true} on the trailing assistant message, beta path only. */
  @Test
  void deepSeekPrefixCompletionOnTheBetaPathOnly() throws Exception {
    String q = "Summarise the Acme renewal call in two lines.";
    String full = openAiText(openai(openAiBody("deepseek-flash", false, q)));
    List<String> pieces = TextGenerator.pieces(full);
    String prefix = String.join("", pieces.subList(0, pieces.size() / 2)).stripTrailing();
    String rest = full.substring(prefix.length());
    ObjectNode ns = openAiBody("deepseek-flash", false, q, prefix);
    ((ObjectNode) ns.get("messages").get(1)).put("prefix", true);
    ObjectNode st = openAiBody("deepseek-flash", true, q, prefix);
    ((ObjectNode) st.get("messages").get(1)).put("prefix", true);
    emu.stats().reset();
    // the beta path continues the prefix exactly, streaming and not
    RawHttp.Result a = RawHttp.post(emu.port(), "/openai/beta/chat/completions", openAiHeaders(), ns.toString(), 5000);
    assertThat(a.status).isEqualTo(200);
    assertThat(openAiText(a)).isEqualTo(rest);
    RawHttp.Result b = RawHttp.post(emu.port(), "/openai/beta/chat/completions", openAiHeaders(), st.toString(), 5000);
    assertThat(b.status).isEqualTo(200);
    assertThat(openAiStreamText(b.body)).isEqualTo(rest);
    // the normal paths refuse the flag like DeepSeek does
    for (String path : List.of("/openai/v1/chat/completions", "/openai/chat/completions")) {
      for (ObjectNode body : List.of(ns, st)) {
        RawHttp.Result r = RawHttp.post(emu.port(), path, openAiHeaders(), body.toString(), 5000);
        assertThat(r.status).as(path).isEqualTo(400);
        JsonNode e = json(r.body).path("error");
        assertThat(e.path("message").asText()).startsWith("prefix is only available when using beta api");
        assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
      }
    }
    // /v1/beta is not a DeepSeek path
    assertThat(RawHttp.post(emu.port(), "/openai/v1/beta/chat/completions", openAiHeaders(), ns.toString(), 5000).status).isEqualTo(404);
    // prefix:false is an ordinary prefill anywhere; the beta path serves plain chats too
    ObjectNode off = openAiBody("deepseek-flash", false, q, prefix);
    ((ObjectNode) off.get("messages").get(1)).put("prefix", false);
    assertThat(openAiText(openai(off))).isEqualTo(rest);
    assertThat(openAiText(RawHttp.post(emu.port(), "/openai/beta/chat/completions", openAiHeaders(),
        openAiBody("deepseek-flash", false, q).toString(), 5000))).isEqualTo(full);
    // every chat request counts, refused ones included (2 beta + 4 refused + 1 ordinary + 1 plain beta; the 404 does not)
    assertThat(emu.stats().requests("openai", "deepseek-flash")).isEqualTo(8);
    assertThat(emu.stats().prefixCompletions()).isEqualTo(2);
    assertThat(json(RawHttp.get(emu.port(), "/_stats", Map.of(), 5000).body).path("prefix_completions").asLong()).isEqualTo(2);
  }

  @Test
  void anthropicRefusesAPrefillEndingInWhitespace() throws Exception {
    RawHttp.Result r = anthropic(anthropicBody("claude-sonnet-4-5", false, "hi", "Sure, "));
    assertThat(r.status).isEqualTo(400);
    assertThat(json(r.body).path("error").path("message").asText()).contains("trailing whitespace");
    assertThat(openai(openAiBody("gpt-oss-120b", false, "hi", "Sure, ")).status).isEqualTo(200);
  }

  @Test
  void optionsAndFaultNames() {
    assertThat(Fault.parse("rate_limit")).isEqualTo(Fault.RATE_LIMIT);
    assertThat(Fault.parse("Stream-Cut")).isEqualTo(Fault.STREAM_CUT);
    assertThat(Fault.parse("nope")).isNull();
    assertThat(Fault.CONTENT_FILTERED.wireName()).isEqualTo("content_filtered");
    EmulatorOptions o = EmulatorOptions.defaults();
    assertThat(o).isEqualTo(new EmulatorOptions(0, 0, 0, 0.0, 42));
    assertThat(o.withPort(9099).withLatency(10).withInterTokenDelay(2).withFaultRate(0.5).withSeed(1))
        .isEqualTo(new EmulatorOptions(9099, 10, 2, 0.5, 1));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> o.withFaultRate(1.5)).isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> emu.faults().next("bogus", Fault.RESET, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void maxTokensCutsAndReportsLength() throws Exception {
    String q = "Tell me about the account.";
    ObjectNode a = anthropicBody("claude-haiku-4-5", false, q);
    a.put("max_tokens", 5);
    JsonNode ab = json(anthropic(a).body);
    assertThat(ab.path("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(ab.path("usage").path("output_tokens").asInt()).isEqualTo(5);
    String full = anthropicText(anthropic(anthropicBody("claude-haiku-4-5", false, q)));
    assertThat(full).startsWith(ab.path("content").get(0).path("text").asText());

    a.put("stream", true);
    List<SseEvent> ev = sse(anthropic(a).body);
    JsonNode md = json(ev.get(ev.size() - 2).data());
    assertThat(md.path("delta").path("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(md.path("usage").path("output_tokens").asInt()).isEqualTo(5);

    ObjectNode o = openAiBody("gpt-oss-120b", false, q);
    o.put("max_completion_tokens", 4);
    JsonNode ob = json(openai(o).body);
    assertThat(ob.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(ob.path("usage").path("completion_tokens").asInt()).isEqualTo(4);
    ObjectNode o2 = openAiBody("gpt-oss-120b", true, q);
    o2.put("max_tokens", 4);
    assertThat(openai(o2).body).contains("\"finish_reason\":\"length\"");

    ObjectNode l = ollamaBody("llama3.2", false, q);
    l.putObject("options").put("num_predict", 3);
    JsonNode lb = json(ollama(l).body);
    assertThat(lb.path("done_reason").asText()).isEqualTo("length");
    assertThat(lb.path("eval_count").asInt()).isEqualTo(3);
  }

  @Test
  void stopSequencesEndTheAnswer() throws Exception {
    String q = "Summarise the account in a few lines.";
    String full = anthropicText(anthropic(anthropicBody("claude-haiku-4-5", false, q)));
    String stop = TextGenerator.pieces(full).get(8).trim();
    String expected = full.substring(0, full.indexOf(stop));
    ObjectNode a = anthropicBody("claude-haiku-4-5", false, q);
    a.putArray("stop_sequences").add("zzz-never").add(stop);
    JsonNode ab = json(anthropic(a).body);
    assertThat(ab.path("content").get(0).path("text").asText()).isEqualTo(expected);
    assertThat(ab.path("stop_reason").asText()).isEqualTo("stop_sequence");
    assertThat(ab.path("stop_sequence").asText()).isEqualTo(stop);
    a.put("stream", true);
    RawHttp.Result s = anthropic(a);
    assertThat(anthropicStreamText(s.body)).isEqualTo(expected);
    assertThat(s.body).contains("\"stop_reason\":\"stop_sequence\",\"stop_sequence\":" + Wire.q(stop));

    ObjectNode o = openAiBody("gpt-oss-120b", false, q);
    o.put("stop", stop);
    JsonNode ob = json(openai(o).body);
    assertThat(ob.path("choices").get(0).path("message").path("content").asText()).isEqualTo(expected);
    assertThat(ob.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    ObjectNode l = ollamaBody("llama3.2", false, q);
    l.putObject("options").putArray("stop").add(stop);
    assertThat(ollamaText(ollama(l))).isEqualTo(expected);
  }

  @Test
  void reasoningIsSeparateFromTextWhenRequested() throws Exception {
    String q = "Which plan fits a 40 person team?";
    String plain = anthropicText(anthropic(anthropicBody("claude-sonnet-4-5", false, q)));
    ObjectNode a = anthropicBody("claude-sonnet-4-5", false, q);
    a.putObject("thinking").put("type", "enabled").put("budget_tokens", 1024);
    JsonNode ab = json(anthropic(a).body);
    JsonNode think = ab.path("content").get(0);
    assertThat(think.path("type").asText()).isEqualTo("thinking");
    assertThat(think.path("thinking").asText()).isNotEmpty();
    assertThat(think.path("signature").asText()).isNotEmpty();
    assertThat(ab.path("content").get(1).path("text").asText()).isEqualTo(plain);
    int thinkingPieces = TextGenerator.pieces(think.path("thinking").asText()).size();
    assertThat(ab.path("usage").path("output_tokens").asInt()).isEqualTo(thinkingPieces + TextGenerator.pieces(plain).size());

    a.put("stream", true);
    RawHttp.Result s = anthropic(a);
    List<SseEvent> ev = sse(s.body);
    assertThat(json(ev.get(1).data()).path("content_block").path("type").asText()).isEqualTo("thinking");
    StringBuilder thinking = new StringBuilder(), text = new StringBuilder();
    boolean signature = false;
    for (SseEvent e : ev) {
      JsonNode d = e.data() == null || e.event().equals("ping") ? null : json(e.data());
      if (d == null) continue;
      if (e.event().equals("content_block_delta")) {
        JsonNode delta = d.path("delta");
        switch (delta.path("type").asText()) {
          case "thinking_delta" -> { assertThat(d.path("index").asInt()).isZero(); thinking.append(delta.path("thinking").asText()); }
          case "signature_delta" -> signature = true;
          case "text_delta" -> { assertThat(d.path("index").asInt()).isEqualTo(1); text.append(delta.path("text").asText()); }
          default -> throw new AssertionError(delta.toString());
        }
      }
    }
    assertThat(signature).isTrue();
    assertThat(thinking.toString()).isEqualTo(think.path("thinking").asText());
    assertThat(text.toString()).isEqualTo(plain);
    assertThat(s.body).contains("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\nevent: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,");

    ObjectNode o = openAiBody("deepseek-flash", false, q);
    o.putObject("thinking").put("type", "enabled");
    JsonNode om = json(openai(o).body).path("choices").get(0).path("message");
    assertThat(om.path("content").asText()).isEqualTo(plain);
    assertThat(om.path("reasoning_content").asText()).isNotEmpty();
    o.put("stream", true);
    String ostream = openai(o).body;
    assertThat(openAiStreamText(ostream)).isEqualTo(plain);
    assertThat(ostream).contains("\"delta\":{\"reasoning_content\":");
    ObjectNode c = openAiBody("gpt-oss-120b", false, q);
    c.put("reasoning_effort", "low");
    assertThat(json(openai(c).body).path("choices").get(0).path("message").path("reasoning").asText()).isNotEmpty();
    assertThat(json(openai(openAiBody("gpt-oss-120b", false, q)).body).path("choices").get(0).path("message").has("reasoning")).isFalse();

    ObjectNode l = ollamaBody("qwen3:8b", true, q);
    l.put("think", true);
    List<JsonNode> lines = ndjson(ollama(l).body);
    assertThat(lines.get(0).path("message").path("thinking").asText()).isNotEmpty();
    assertThat(ollamaStreamText(ollama(l).body)).isEqualTo(plain);
  }

  /** A thinking block comes back with the signature it came with, or the request is refused as the real API does. */
  @Test
  void aThinkingBlockSentBackMustKeepItsSignature() throws Exception {
    ObjectNode first = anthropicBody("claude-sonnet-4-5", false, "Which plan fits a 40 person team?");
    first.put("max_tokens", 4096);
    first.putObject("thinking").put("type", "enabled").put("budget_tokens", 2048);
    JsonNode think = json(anthropic(first).body).path("content").get(0);
    assertThat(think.path("type").asText()).isEqualTo("thinking");

    for (String[] c : new String[][] {
        {think.path("thinking").asText(), think.path("signature").asText(), "200"},
        {think.path("thinking").asText(), "EmuSigforged==", "400"},
        {think.path("thinking").asText() + " (edited)", think.path("signature").asText(), "400"},
        {think.path("thinking").asText(), null, "400"}}) {
      ObjectNode next = anthropicBody("claude-sonnet-4-5", false);
      next.put("max_tokens", 4096);
      next.putObject("thinking").put("type", "enabled").put("budget_tokens", 2048);
      ArrayNode msgs = (ArrayNode) next.get("messages");
      msgs.addObject().put("role", "user").put("content", "Which plan fits a 40 person team?");
      ObjectNode block = msgs.addObject().put("role", "assistant").putArray("content").addObject()
          .put("type", "thinking").put("thinking", c[0]);
      if (c[1] != null) block.put("signature", c[1]);
      ((ArrayNode) msgs.get(1).get("content")).addObject().put("type", "text").put("text", "The Team plan.");
      msgs.addObject().put("role", "user").put("content", "And for 400?");
      RawHttp.Result r = anthropic(next);
      assertThat(r.status).as(r.body).isEqualTo(Integer.parseInt(c[2]));
      if (r.status == 400) {
        JsonNode err = json(r.body).path("error");
        assertThat(err.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(err.path("message").asText()).startsWith("messages.1.content.0")
            .contains(c[1] == null ? "signature: Field required" : "Invalid `signature` in `thinking` block");
      }
    }
  }

  static final String LEAD = "Hi, I'm Priya Nair (priya.nair@globex.io), Head of Revenue Operations at Globex Industries. "
      + "We have 120 sellers and our follow-up process is manual. Website: https://globex.io/about";

  static JsonNode leadSchema() throws Exception {
    return json("""
        {"type":"object","additionalProperties":false,
         "required":["name","email","score","tier","evidence","website"],
         "properties":{
           "name":{"type":"string","minLength":1,"maxLength":40},
           "email":{"type":"string","format":"email"},
           "score":{"type":"integer","minimum":0,"maximum":100},
           "tier":{"type":"string","enum":["hot","warm","cold"]},
           "evidence":{"type":"array","minItems":1,"maxItems":3,"items":{"type":"string"}},
           "website":{"type":["string","null"],"format":"uri"}}}
        """);
  }

  static void assertLeadInstance(JsonNode v) {
    assertThat(SchemaInstanceGeneratorTest.validate(leadSchemaUnchecked(), v)).isEmpty();
    assertThat(v.path("email").asText()).isEqualTo("priya.nair@globex.io");
    for (JsonNode e : v.path("evidence")) assertThat(LEAD).contains(e.asText());
  }

  static JsonNode leadSchemaUnchecked() {
    try {
      return leadSchema();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void openAiJsonSchemaResponseFormat() throws Exception {
    ObjectNode o = openAiBody("gpt-oss-120b", false, LEAD);
    ObjectNode rf = o.putObject("response_format");
    rf.put("type", "json_schema");
    rf.putObject("json_schema").put("name", "lead").put("strict", true).set("schema", leadSchema());
    JsonNode v = json(openAiText(openai(o)));
    assertLeadInstance(v);
    o.put("stream", true);
    assertThat(json(openAiStreamText(openai(o).body))).isEqualTo(v);

    ObjectNode jo = openAiBody("gpt-oss-120b", false, LEAD);
    jo.putObject("response_format").put("type", "json_object");
    assertThat(json(openAiText(openai(jo))).isObject()).isTrue();
  }

  @Test
  void openAiForcedToolCall() throws Exception {
    ObjectNode o = openAiBody("gpt-oss-120b", false, LEAD);
    ObjectNode fn = o.putArray("tools").addObject().put("type", "function").putObject("function");
    fn.put("name", "record_lead").set("parameters", leadSchema());
    o.putObject("tool_choice").put("type", "function").putObject("function").put("name", "record_lead");
    JsonNode c = json(openai(o).body).path("choices").get(0);
    assertThat(c.path("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(c.path("message").path("content").isNull()).isTrue();
    JsonNode call = c.path("message").path("tool_calls").get(0);
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.path("function").path("name").asText()).isEqualTo("record_lead");
    assertLeadInstance(json(call.path("function").path("arguments").asText()));
    o.put("stream", true);
    RawHttp.Result s = openai(o);
    assertThat(s.body).contains("\"finish_reason\":\"tool_calls\"");
    assertLeadInstance(json(openAiStreamText(s.body)));
  }

  @Test
  void anthropicForcedToolUse() throws Exception {
    ObjectNode a = anthropicBody("claude-sonnet-4-5", false, LEAD);
    a.putArray("tools").addObject().put("name", "record_lead").put("description", "Record a lead").set("input_schema", leadSchema());
    a.putObject("tool_choice").put("type", "tool").put("name", "record_lead");
    JsonNode b = json(anthropic(a).body);
    assertThat(b.path("stop_reason").asText()).isEqualTo("tool_use");
    JsonNode block = b.path("content").get(0);
    assertThat(block.path("type").asText()).isEqualTo("tool_use");
    assertThat(block.path("name").asText()).isEqualTo("record_lead");
    assertThat(block.path("id").asText()).startsWith("toolu_");
    assertLeadInstance(block.path("input"));

    a.put("stream", true);
    RawHttp.Result s = anthropic(a);
    List<SseEvent> ev = sse(s.body);
    JsonNode start = json(ev.get(1).data()).path("content_block");
    assertThat(start.path("type").asText()).isEqualTo("tool_use");
    assertThat(start.path("input").size()).isZero();
    assertThat(s.body).contains("\"type\":\"input_json_delta\",\"partial_json\":\"\"");
    assertThat(json(ev.get(ev.size() - 2).data()).path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(json(anthropicStreamText(s.body))).isEqualTo(block.path("input"));
  }

  @Test
  void anthropicOutputConfigFormat() throws Exception {
    ObjectNode a = anthropicBody("claude-sonnet-4-5", false, LEAD);
    a.putObject("output_config").putObject("format").put("type", "json_schema").set("schema", leadSchema());
    JsonNode b = json(anthropic(a).body);
    assertThat(b.path("stop_reason").asText()).isEqualTo("end_turn");
    assertLeadInstance(json(b.path("content").get(0).path("text").asText()));
  }

  @Test
  void ollamaFormatSchemaAndJson() throws Exception {
    ObjectNode l = ollamaBody("llama3.2", false, LEAD);
    l.set("format", leadSchema());
    assertLeadInstance(json(ollamaText(ollama(l))));
    l.put("stream", true);
    assertLeadInstance(json(ollamaStreamText(ollama(l).body)));
    ObjectNode j = ollamaBody("llama3.2", false, LEAD);
    j.put("format", "json");
    assertThat(json(ollamaText(ollama(j))).isObject()).isTrue();
  }

  @Test
  void statsCountRequestsPerProtocolAndModel() throws Exception {
    anthropic(anthropicBody("claude-haiku-4-5", false, "a"));
    anthropic(anthropicBody("claude-haiku-4-5", true, "b"));
    openai(openAiBody("deepseek-flash", false, "c"));
    ollama(ollamaBody("llama3.2", false, "d"));
    assertThat(emu.stats().requests("anthropic", "claude-haiku-4-5")).isEqualTo(2);
    assertThat(emu.stats().requests("openai", "deepseek-flash")).isEqualTo(1);
    assertThat(emu.stats().total("ollama")).isEqualTo(1);
    assertThat(emu.stats().total("*")).isEqualTo(4);
    assertThat(emu.stats().toJson().getJsonObject("requests").getJsonObject("anthropic").getLong("claude-haiku-4-5")).isEqualTo(2);
  }

  @Test
  void latencyAndInterTokenDelayAreApplied() throws Exception {
    Vertx v = Vertx.vertx();
    // A first-token latency of 1 s: the headers must come well before it (a bound of 600 ms leaves a busy machine room),
    // the content only after it (a timer never fires early, so the lower bounds hold under any load).
    Emulator slow = Emulator.start(v, EmulatorOptions.defaults().withLatency(1_000).withInterTokenDelay(3)).await(30, TimeUnit.SECONDS);
    try {
      ObjectNode body = openAiBody("gpt-oss-120b", true, "slow please");
      long t0 = System.nanoTime();
      try (Socket s = new Socket("127.0.0.1", slow.port())) {
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("POST /openai/v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer k\r\ncontent-type: application/json\r\ncontent-length: "
            + b.length + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder seen = new StringBuilder();
        long headAt = -1, firstContentAt = -1;
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
          seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          long now = System.nanoTime();
          if (headAt < 0 && seen.indexOf("\r\n\r\n") >= 0) headAt = now;
          if (firstContentAt < 0 && seen.indexOf("\"delta\":{\"content\":") >= 0) firstContentAt = now;
        }
        long total = (System.nanoTime() - t0) / 1_000_000;
        assertThat((headAt - t0) / 1_000_000).isLessThan(600); // headers + role chunk go out at once
        assertThat((firstContentAt - t0) / 1_000_000).isGreaterThanOrEqualTo(1_000);
        assertThat(total).isGreaterThanOrEqualTo(1_000 + 3 * 10);
        assertThat(seen.toString()).contains("data: [DONE]");
      }
      // non-streaming waits for the whole answer
      long t1 = System.nanoTime();
      RawHttp.Result r = RawHttp.post(slow.port(), "/ollama/api/chat", Map.of(), ollamaBody("llama3.2", false, "slow").toString(), 30_000);
      assertThat(r.status).isEqualTo(200);
      assertThat((System.nanoTime() - t1) / 1_000_000).isGreaterThanOrEqualTo(1_000);
    } finally {
      slow.close().await(30, TimeUnit.SECONDS);
      v.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void closeEndsStalledAndTimedOutConnections() throws Exception {
    Vertx v = Vertx.vertx();
    Emulator e = Emulator.start(v, EmulatorOptions.defaults()).await(30, TimeUnit.SECONDS);
    e.faults().next("*", Fault.STREAM_STALL, 1).next("*", Fault.TIMEOUT, 1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      // each request is in the emulator (and has taken its scripted fault) before the next step
      var stall = pool.submit(() -> RawHttp.post(e.port(), "/ollama/api/chat", Map.of(), ollamaBody("llama3.2", true, "x").toString(), 30_000));
      await().atMost(Duration.ofSeconds(30)).until(() -> e.faults().pending() == 1);
      var timeout = pool.submit(() -> RawHttp.post(e.port(), "/ollama/api/chat", Map.of(), ollamaBody("llama3.2", true, "y").toString(), 30_000));
      await().atMost(Duration.ofSeconds(30)).until(() -> e.faults().pending() == 0);
      long t0 = System.nanoTime();
      e.close().await(30, TimeUnit.SECONDS);
      RawHttp.Result s = stall.get(30, TimeUnit.SECONDS);
      RawHttp.Result t = timeout.get(30, TimeUnit.SECONDS);
      // closed by close(), not by the clients' 30 s read timeouts
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(15_000);
      assertThat(s.eof).isTrue();
      assertThat(s.timedOut).isFalse();
      assertThat(s.complete).isFalse();
      assertThat(t.eof).isTrue();
      assertThat(t.raw).isEmpty();
    } finally {
      pool.shutdownNow();
      v.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void randomFaultsAreSeededAndDeterministic() throws Exception {
    List<Integer> first = statuses(EmulatorOptions.defaults().withFaultRate(0.5).withSeed(7));
    List<Integer> second = statuses(EmulatorOptions.defaults().withFaultRate(0.5).withSeed(7));
    assertThat(first).isEqualTo(second);
    assertThat(first).contains(200);
    assertThat(first.stream().filter(s -> s != 200).count()).isPositive();
    List<Integer> all = statuses(EmulatorOptions.defaults().withFaultRate(1.0));
    assertThat(all).doesNotContain(200 + 1).allMatch(s -> s == 429 || s == 503 || s == 500 || s == 200 || s == -200);
  }

  /** Statuses of 20 ollama calls; a cut stream counts as -200. */
  private static List<Integer> statuses(EmulatorOptions o) throws Exception {
    Vertx v = Vertx.vertx();
    Emulator e = Emulator.start(v, o).await(30, TimeUnit.SECONDS);
    try {
      java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        RawHttp.Result r = RawHttp.post(e.port(), "/ollama/api/chat", Map.of(), ollamaBody("llama3.2", true, "q" + i).toString(), 5000);
        out.add(r.status == 200 && !r.complete ? -200 : r.status);
      }
      return out;
    } finally {
      e.close().await(30, TimeUnit.SECONDS);
      v.close().await(30, TimeUnit.SECONDS);
    }
  }
}
