package dev.salesagent.server.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.server.http.RequestIds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code output} of a Responses API answer: a {@code message} item for the text, a {@code function_call} item per
 * tool call, in the order they came. The stream writer fills the items as the events arrive; a whole answer builds
 * them from the router's response. Item ids ({@code msg_…}, {@code fc_…}) are ours; a call's {@code call_id} is the
 * tool call's own id, the one the client sends back in {@code function_call_output}.
 */
final class OutputItems {
  /** One output item; {@code done} once its {@code output_item.done} was sent (always, in a whole answer). */
  abstract static sealed class Item permits Text, Call {
    final String id;
    boolean done;

    Item(String id) {
      this.id = id;
    }

    abstract void write(JsonGenerator g) throws IOException;

    final String status() {
      return done ? "completed" : "in_progress";
    }
  }

  static final class Text extends Item {
    final StringBuilder text = new StringBuilder();

    Text() {
      super(RequestIds.newId("msg_"));
    }

    @Override
    void write(JsonGenerator g) throws IOException {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("type", "message");
      g.writeStringField("status", status());
      g.writeStringField("role", "assistant");
      g.writeArrayFieldStart("content");
      if (done) part(g, text);
      g.writeEndArray();
      g.writeEndObject();
    }

    /** The {@code output_text} content part. */
    static void part(JsonGenerator g, CharSequence text) throws IOException {
      g.writeStartObject();
      g.writeStringField("type", "output_text");
      g.writeStringField("text", text.toString());
      g.writeArrayFieldStart("annotations");
      g.writeEndArray();
      g.writeArrayFieldStart("logprobs");
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  static final class Call extends Item {
    final String callId;
    final String name;
    final StringBuilder arguments = new StringBuilder();

    Call(String callId, String name) {
      super(RequestIds.newId("fc_"));
      this.callId = callId;
      this.name = name;
    }

    /** The arguments as sent: what was streamed, or {@code {}} when a call came without any. */
    String argumentsText() {
      return arguments.length() == 0 ? "{}" : arguments.toString();
    }

    @Override
    void write(JsonGenerator g) throws IOException {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("type", "function_call");
      g.writeStringField("status", status());
      g.writeStringField("arguments", done ? argumentsText() : "");
      g.writeStringField("call_id", callId);
      g.writeStringField("name", name);
      g.writeEndObject();
    }
  }

  final List<Item> items = new ArrayList<>(2);

  /** A whole answer's items: its text (when there is any, or when there is nothing else), then its calls. */
  static OutputItems of(ChatResponse c) {
    OutputItems out = new OutputItems();
    if (!c.text().isEmpty() || c.toolCalls().isEmpty()) {
      Text t = new Text();
      t.text.append(c.text());
      t.done = true;
      out.items.add(t);
    }
    for (ToolCall tc : c.toolCalls()) {
      Call call = new Call(tc.id(), tc.name());
      if (tc.argumentsJson() != null) call.arguments.append(tc.argumentsJson());
      call.done = true;
      out.items.add(call);
    }
    return out;
  }

  void write(JsonGenerator g) throws IOException {
    g.writeStartArray();
    for (Item i : items) i.write(g);
    g.writeEndArray();
  }
}
