package io.tollgate.inbound.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.testing.FixtureFiles;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden answers: each {@code inbound/responses/X.openai.json} must come back as {@code X.anthropic.json}. */
class AnswerMapperTest {

  static Stream<String> responses() {
    return FixtureFiles.cases("inbound/responses", ".openai.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responses")
  void chatCompletionBecomesMessage(String name) {
    ObjectNode message = AnswerMapper.toMessage(FixtureFiles.json("inbound/responses", name + ".openai.json"),
        "sent-model");
    assertThat(message.get("id").asText()).matches("msg_[0-9a-f]{24}");
    message.put("id", "msg_test");
    assertThat(FixtureFiles.reparsed(message))
        .isEqualTo(FixtureFiles.json("inbound/responses", name + ".anthropic.json"));
  }
}
