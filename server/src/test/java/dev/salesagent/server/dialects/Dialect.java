package dev.salesagent.server.dialects;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.dialects.Conversation.Answer;
import dev.salesagent.server.dialects.Conversation.Options;
import dev.salesagent.server.dialects.Conversation.Turn;
import java.net.http.HttpResponse;
import java.util.List;

/** One inbound dialect as a client speaks it: a conversation to its request body, its answer (JSON or SSE) back. */
interface Dialect {
  String path();

  ObjectNode body(List<Turn> conv, List<Conversation.Tool> tools, Options o);

  /** Reads a whole answer or a stream, checking the stream's own grammar on the way (a broken one throws). */
  Answer read(HttpResponse<String> r, boolean stream);

  default Answer send(GatewayHarness h, List<Turn> conv, List<Conversation.Tool> tools, Options o) {
    HttpResponse<String> r = h.post(path(), GatewayHarness.ADMIN_KEY, body(conv, tools, o).toString());
    return read(r, o.stream());
  }

  List<Dialect> ALL = List.of(new OpenAiChatDialect(), new AnthropicDialect(), new ResponsesDialect());
}
