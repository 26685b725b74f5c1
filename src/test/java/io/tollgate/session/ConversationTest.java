package io.tollgate.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tollgate.usage.TokenCounter;
import org.junit.jupiter.api.Test;

/** Merging a client's messages with the stored history, and trimming whole turns. */
class ConversationTest {

  @Test
  void aResentHistoryIsRecognisedDespiteAnSdksNullFieldsAndTextParts() {
    ArrayNode stored = array("""
        [{"role":"user","content":"One"},{"role":"assistant","content":"Two"}]""");
    ArrayNode client = array("""
        [{"role":"user","content":[{"type":"text","text":"One"}]},
         {"role":"assistant","content":"Two","refusal":null,"tool_calls":[]},{"role":"user","content":"Three"}]""");
    Conversation.Merged merged = Conversation.merge(stored, client);
    assertThat(merged.sent()).isSameAs(client);
    assertThat(merged.added()).containsExactly(tree("{\"role\":\"user\",\"content\":\"Three\"}"));
  }

  @Test
  void aClientMessageThatDiffersGetsTheHistoryPutBeforeIt() {
    ArrayNode stored = array("[{\"role\":\"user\",\"content\":\"One\"},{\"role\":\"assistant\",\"content\":\"Two\"}]");
    Conversation.Merged merged = Conversation.merge(stored, array("[{\"role\":\"user\",\"content\":\"Uno\"}]"));
    assertThat(merged.sent()).hasSize(3);
    assertThat(merged.sent().get(2).path("content").asText()).isEqualTo("Uno");
    assertThat(merged.added()).hasSize(1);
  }

  @Test
  void anAnthropicToolResultStaysWithTheTurnThatCalledTheTool() {
    ArrayNode history = array("""
        [{"role":"user","content":"Weather?"},
         {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"weather","input":{}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"Sunny"}]},
         {"role":"assistant","content":"Sunny."},
         {"role":"user","content":"Thanks"},{"role":"assistant","content":"Welcome"}]""");
    Conversation.Kept kept = Conversation.trim(history, Dialect.ANTHROPIC, 1, 10_000,
        TokenCounter.encodingFor("claude"));
    assertThat(kept.turns()).isEqualTo(1);
    assertThat(kept.messages()).hasSize(2);
    assertThat(kept.messages().get(0).path("content").asText()).isEqualTo("Thanks");

    Conversation.Kept both = Conversation.trim(history, Dialect.ANTHROPIC, 2, 10_000,
        TokenCounter.encodingFor("claude"));
    assertThat(both.turns()).isEqualTo(2);
    assertThat(both.messages()).hasSize(6);
  }

  private static ArrayNode array(String json) {
    return (ArrayNode) tree(json);
  }

  private static JsonNode tree(String json) {
    return SessionsFixture.tree(json);
  }
}
