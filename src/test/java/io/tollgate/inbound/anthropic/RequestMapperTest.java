package io.tollgate.inbound.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.RequestValidator;
import io.tollgate.testing.FixtureFiles;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden translations: each {@code inbound/requests/X.anthropic.json} must become {@code X.openai.json}, a request
 * that also passes the checks every OpenAI request passes; and so must the recorded coding-agent request.
 */
class RequestMapperTest {

  static Stream<String> requests() {
    return FixtureFiles.cases("inbound/requests", ".anthropic.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void messagesRequestBecomesChatRequest(String name) {
    assertTranslation("inbound/requests", name + ".anthropic.json", name + ".openai.json");
  }

  @Test
  void aCodingAgentsRequestLosesOnlyWhatOpenAiCannotSay() {
    assertTranslation("inbound", "claude-code-request.json", "claude-code-request.openai.json");
    JsonNode out = translate(FixtureFiles.json("inbound", "claude-code-request.json"));
    assertThat(out.get("tools")).hasSize(24);
    assertThat(Json.string(out)).doesNotContain("cache_control", "signature", "\"thinking\"", "ephemeral");
  }

  @ParameterizedTest(name = "budget {0} is {1}")
  @CsvSource({"1024, low", "2047, low", "2048, medium", "4000, medium", "8192, high", "31999, high"})
  void thinkingBudgetsBecomeTheNearestEffort(int budget, String effort) {
    assertThat(RequestMapper.effort(Json.MAPPER.createObjectNode().put("type", "enabled")
        .put("budget_tokens", budget))).isEqualTo(effort);
  }

  @Test
  void disabledOrAdaptiveThinkingAsksForNoEffort() {
    assertThat(RequestMapper.effort(Json.MAPPER.createObjectNode().put("type", "disabled"))).isNull();
    assertThat(RequestMapper.effort(Json.MAPPER.createObjectNode().put("type", "adaptive"))).isNull();
    assertThat(RequestMapper.effort(Json.MAPPER.missingNode())).isNull();
  }

  private static void assertTranslation(String folder, String given, String expected) {
    JsonNode out = translate(FixtureFiles.json(folder, given));
    assertThat(FixtureFiles.reparsed(out)).isEqualTo(FixtureFiles.json(folder, expected));
    RequestValidator.parse(Endpoint.CHAT, (ObjectNode) out);
  }

  private static ObjectNode translate(JsonNode anthropic) {
    MessagesRequest request = MessagesRequest.parse(Json.bytes(anthropic), false);
    return RequestMapper.toOpenAi(request.body(), request.stream());
  }
}
