package io.tollgate.inbound.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.RequestValidator;
import io.tollgate.testing.FixtureFiles;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden conversions of Gemini-style chat bodies: each {@code inbound/gemini/X.gemini.json} must become
 * {@code X.openai.json}, which then passes the checks every OpenAI request passes.
 */
class GeminiBodyTest {

  static Stream<String> bodies() {
    return FixtureFiles.cases("inbound/gemini", ".gemini.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void geminiBodyBecomesChatRequest(String name) {
    ObjectNode body = (ObjectNode) FixtureFiles.json("inbound/gemini", name + ".gemini.json");
    assertThat(GeminiBody.matches(body)).isTrue();
    ObjectNode out = GeminiBody.toOpenAi(body);
    assertThat(FixtureFiles.reparsed(out)).isEqualTo(FixtureFiles.json("inbound/gemini", name + ".openai.json"));
    RequestValidator.parse(Endpoint.CHAT, out);
  }

  @Test
  void anOpenAiBodyIsNotTakenForOne() {
    assertThat(GeminiBody.matches((ObjectNode) FixtureFiles.tree(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"contents\"}]}"))).isFalse();
  }

  @Test
  void withoutAModelItIsAClear400() {
    assertThatThrownBy(() -> GeminiBody.toOpenAi((ObjectNode) FixtureFiles.tree(
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}")))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.param()).isEqualTo("model");
          assertThat(e.getMessage()).contains("Gemini-style");
        });
  }

  @Test
  void contentsWithNothingToSayAreA400() {
    assertThatThrownBy(() -> GeminiBody.toOpenAi((ObjectNode) FixtureFiles.tree(
        "{\"model\":\"m\",\"systemInstruction\":{\"parts\":[{\"text\":\"x\"}]},\"contents\":[]}")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("contents"));
  }
}
