package dev.salesagent.server.chat;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.server.http.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolTurnsTest {
  static final Message USER = Message.user("weather and time please");
  static final Message CALLS = Message.assistantToolCalls("", List.of(new ToolCall("call_a", "get_weather", "{}"),
      new ToolCall("call_b", "get_time", "{}")));

  static Message results(String... ids) {
    ContentPart.ToolResult[] rs = new ContentPart.ToolResult[ids.length];
    for (int i = 0; i < ids.length; i++) rs[i] = new ContentPart.ToolResult(ids[i], "r" + i);
    return Message.toolResults(rs);
  }

  @Test
  void everyCallAnsweredInTheNextTurnPasses() {
    assertThatCode(() -> ToolTurns.check(List.of(USER, CALLS, results("call_b", "call_a"), Message.assistant("done"),
        Message.user("thanks")))).doesNotThrowAnyException();
    // results split over consecutive tool turns (a dialect that did not merge them) still pair
    assertThatCode(() -> ToolTurns.check(List.of(USER, CALLS, results("call_a"), results("call_b"))))
        .doesNotThrowAnyException();
    // a user turn after the results (Anthropic: text in the same turn as the tool_result blocks)
    assertThatCode(() -> ToolTurns.check(List.of(USER, CALLS, results("call_a", "call_b"), Message.user("and?"))))
        .doesNotThrowAnyException();
  }

  @Test
  void aResultForAnUnknownIdIsA400NamingIt() {
    assertThatThrownBy(() -> ToolTurns.check(List.of(USER, CALLS, results("call_a", "call_zzz"))))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("'call_zzz'").hasMessageContaining("its calls: call_a, call_b");
    assertThatThrownBy(() -> ToolTurns.check(List.of(USER, results("call_a"))))
        .isInstanceOf(ApiException.class).hasMessageContaining("that turn made no calls");
    // a result answers only the turn right before it, not an older one
    assertThatThrownBy(() -> ToolTurns.check(List.of(USER, CALLS, results("call_a", "call_b"), Message.assistant("ok"),
        results("call_a")))).isInstanceOf(ApiException.class);
  }

  @Test
  void aCallLeftWithoutItsResultIsA400() {
    assertThatThrownBy(() -> ToolTurns.check(List.of(USER, CALLS, results("call_a"), Message.user("go on"))))
        .isInstanceOf(ApiException.class).hasMessageContaining("no result for: call_b");
    assertThatThrownBy(() -> ToolTurns.check(List.of(USER, CALLS, Message.user("never mind"))))
        .isInstanceOf(ApiException.class).hasMessageContaining("no result for: call_a, call_b");
  }

  @Test
  void aTrailingAssistantTurnWithCallsIsLeftToTheProvider() {
    assertThatCode(() -> ToolTurns.check(List.of(USER, CALLS))).doesNotThrowAnyException();
  }
}
