package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.tollgate.testing.FakeResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, pointed at the gateway, as every OpenAI client would be. */
class OpenAiSdkTest extends UpstreamFixture {
  private OpenAIClient client;

  @BeforeEach
  void client() {
    client = OpenAIOkHttpClient.builder().baseUrl(url("/v1")).apiKey(KEY).maxRetries(0).build();
  }

  @Test
  void chat() {
    ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-test").addUserMessage("Say hello").build());
    assertThat(c.choices().get(0).message().content()).contains("Hello from fake");
    assertThat(c.usage().orElseThrow().totalTokens()).isEqualTo(10);
  }

  @Test
  void streamedChat() {
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("gpt-test").addUserMessage("Say hello").build())) {
      List<ChatCompletionChunk> chunks = stream.stream().toList();
      String text = chunks.stream().flatMap(ch -> ch.choices().stream())
          .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());
      assertThat(text).isEqualTo("Hello fake");
    }
  }

  @Test
  void completions() {
    Completion c = client.completions().create(CompletionCreateParams.builder()
        .model("gpt-test").prompt("Once upon").build());
    assertThat(c.choices()).isNotEmpty();
  }

  @Test
  void embeddings() {
    CreateEmbeddingResponse e = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("gpt-test").input("hello").build());
    assertThat(e.data().get(0).embedding()).isNotEmpty();
  }

  @Test
  void models() {
    List<String> ids = client.models().list().data().stream().map(Model::id).toList();
    assertThat(ids).contains("gpt-test", "own-key-model");
    assertThat(client.models().retrieve("gpt-test").id()).isEqualTo("gpt-test");
  }

  @Test
  void errorsBecomeTheSdksOwnExceptions() {
    assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("no-such-model").addUserMessage("x").build())).isInstanceOf(NotFoundException.class);
    upstream.enqueue(FakeResponse.json(429, "{\"error\":{\"message\":\"slow down\"}}").withHeader("Retry-After", "1"));
    assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-test").addUserMessage("x").build())).isInstanceOf(RateLimitException.class)
        .hasMessageContaining("slow down");
  }
}
