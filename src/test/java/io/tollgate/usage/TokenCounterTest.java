package io.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.Encoding;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.RequestValidator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenCounterTest {
  @ParameterizedTest
  @CsvSource({"gpt-4o, o200k_base", "gpt-4o-mini-2024-07-18, o200k_base", "gpt-4.1-nano, o200k_base",
      "o1, o200k_base", "o3-mini, o200k_base", "o4-mini, o200k_base", "gpt-5, o200k_base", "openai/gpt-5-mini, o200k_base",
      "gpt-4, cl100k_base", "gpt-3.5-turbo, cl100k_base", "claude-sonnet-4, cl100k_base", "o1000-local, cl100k_base",
      "llama3, cl100k_base"})
  void theModelFamilyPicksTheEncoding(String model, String encoding) {
    assertThat(TokenCounter.encodingFor(model).getName()).isEqualTo(encoding);
  }

  @Test
  void theFirstNameOfTheO200kFamilyWins() {
    assertThat(TokenCounter.encodingFor("house-model", "gpt-4o").getName()).isEqualTo("o200k_base");
    assertThat(TokenCounter.encodingFor(null, "house-model").getName()).isEqualTo("cl100k_base");
  }

  @Test
  void aSpecialTokensSpellingInAMessageIsOrdinaryText() {
    Encoding e = TokenCounter.encodingFor("gpt-4o");
    assertThat(TokenCounter.count(e, "<|endoftext|>")).isGreaterThan(1);
    assertThat(TokenCounter.count(e, "")).isZero();
  }

  @Test
  void aChatPromptCountsEachMessagesRoleAndTextWithItsFraming() {
    Encoding e = TokenCounter.encodingFor("gpt-4o");
    var request = RequestValidator.parse(Endpoint.CHAT, RequestValidator.object(("{\"model\":\"gpt-4o\","
        + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"name\":\"ann\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"Say hello\"}]}]}").getBytes(StandardCharsets.UTF_8)));
    int expected = 3 + e.countTokens("system") + e.countTokens("Be brief.")
        + 3 + e.countTokens("user") + e.countTokens("Say hello") + 1 + e.countTokens("ann") + 3;
    assertThat(PromptTokens.ofOpenAi(e, request)).isEqualTo(expected);
  }

  @Test
  void anEmbeddingInputCountsItsStringsAndTokenArrays() throws Exception {
    Encoding e = TokenCounter.encodingFor("text-embedding-3-small");
    var request = RequestValidator.parse(Endpoint.EMBEDDINGS, RequestValidator.object(
        "{\"model\":\"m\",\"input\":[\"one two\",\"three\"]}".getBytes(StandardCharsets.UTF_8)));
    assertThat(PromptTokens.ofOpenAi(e, request)).isEqualTo(e.countTokens("one two") + e.countTokens("three"));
    assertThat(PromptTokens.ofAnthropic(e, Json.tree(("{\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Hi\"}]}").getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(3 + e.countTokens("Be brief.") + 3 + e.countTokens("user") + e.countTokens("Hi") + 3);
  }

  @Test
  void theTextOfAnswersIsWhatTheModelGenerated() {
    assertThat(AnswerText.ofOpenAiAnswer(("{\"choices\":[{\"message\":{\"content\":\"Hi\",\"reasoning_content\":"
        + "\"think\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}")
        .getBytes(StandardCharsets.UTF_8))).isEqualTo("Hithinkf{}");
    assertThat(AnswerText.ofAnthropicMessage(("{\"content\":[{\"type\":\"thinking\",\"thinking\":\"hm\"},"
        + "{\"type\":\"text\",\"text\":\"Hi\"}]}").getBytes(StandardCharsets.UTF_8))).isEqualTo("hmHi");
    StringBuilder sent = new StringBuilder();
    AnswerText.ofAnthropicEvent("{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}"
        .getBytes(StandardCharsets.UTF_8), sent);
    AnswerText.ofOpenAiChunk("{\"choices\":[{\"delta\":{\"content\":\"b\"}}]}".getBytes(StandardCharsets.UTF_8), sent);
    assertThat(sent).hasToString("ab");
  }
}
