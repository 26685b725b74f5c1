package io.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkInspectorTest {
  private static ChunkInspector.Facts inspect(String json) {
    return ChunkInspector.inspect(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aContentChunkSaysNothing() {
    ChunkInspector.Facts f = inspect("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}");
    assertThat(f.usage()).isNull();
    assertThat(f.errorMessage()).isNull();
  }

  @Test
  void aUsageOnlyChunkIsRecognised() {
    ChunkInspector.Facts f = inspect("{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,"
        + "\"completion_tokens\":3,\"total_tokens\":10,\"prompt_tokens_details\":{\"cached_tokens\":0}}}");
    assertThat(f.usage()).isEqualTo(new Usage(7, 3, 0, null));
    assertThat(f.emptyChoices()).isTrue();
  }

  @Test
  void cachedAndReasoningTokensAreReadFromTheDetailsObjects() {
    ChunkInspector.Facts f = inspect("{\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":50,"
        + "\"prompt_tokens_details\":{\"audio_tokens\":0,\"cached_tokens\":64},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":32,\"accepted_prediction_tokens\":0}}}");
    assertThat(f.usage()).isEqualTo(new Usage(100, 50, 64, 32));
  }

  @Test
  void usageBesideChoicesIsNotEmptyChoices() {
    ChunkInspector.Facts f = inspect("{\"choices\":[{\"index\":0,\"delta\":{}},{\"index\":1}],"
        + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}");
    assertThat(f.usage()).isEqualTo(new Usage(1, 2));
    assertThat(f.emptyChoices()).isFalse();
  }

  @Test
  void nullUsageAndContentMentioningUsageAreNotUsage() {
    assertThat(inspect("{\"choices\":[{\"delta\":{\"content\":\"\\\"usage\\\"\"}}],\"usage\":null}").usage()).isNull();
  }

  @Test
  void anErrorEventIsRecognised() {
    assertThat(inspect("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}").errorMessage())
        .isEqualTo("overloaded");
  }

  @Test
  void prettyPrintedUsageIsStillFound() {
    ChunkInspector.Facts f = inspect("{\n  \"choices\": [],\n  \"usage\" :\n\t{ \"prompt_tokens\": 4, \"completion_tokens\": 5 }\n}");
    assertThat(f.usage()).isEqualTo(new Usage(4, 5));
  }

  @Test
  void nullErrorIsNoError() {
    assertThat(inspect("{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"error\":null}").errorMessage()).isNull();
  }
}
