package io.tollgate.inbound.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.openai.Json;
import io.tollgate.testing.FixtureFiles;
import org.junit.jupiter.api.Test;

/** The count_tokens estimate: characters / 4 over everything the model reads, plus a flat count per image. */
class TokenEstimateTest {

  @Test
  void textIsFourCharactersAToken() {
    assertThat(TokenEstimate.of(FixtureFiles.tree(
        "{\"system\":\"12345678\",\"messages\":[{\"role\":\"user\",\"content\":\"1234\"}]}"))).isEqualTo(3);
  }

  @Test
  void blocksToolsAndImagesAllCount() {
    JsonNode body = FixtureFiles.tree("""
        {"system":[{"type":"text","text":"abcd"}],
         "tools":[{"name":"f","input_schema":{"type":"object"}}],
         "messages":[{"role":"user","content":[{"type":"text","text":"abcd"},
           {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]},
          {"role":"assistant","content":[{"type":"thinking","thinking":"abcd","signature":"zzzz"},
           {"type":"tool_use","id":"t","name":"f","input":{}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"abcd"}]}]}]}""");
    int tools = Json.string(body.get("tools")).length();
    int chars = 4 + 4 + 4 + ("f".length() + "{}".length()) + 4 + tools;
    assertThat(TokenEstimate.of(body)).isEqualTo((chars + 3) / 4 + TokenEstimate.PER_MEDIA);
  }

  @Test
  void aCodingAgentsRequestCountsInTheThousands() {
    assertThat(TokenEstimate.of(FixtureFiles.json("inbound", "claude-code-request.json"))).isBetween(3000, 6000);
  }
}
