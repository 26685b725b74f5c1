package io.tollgate.e2e;

import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.Http;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/USAGE.md, for OpenAI-compatible upstreams: tokens, their source and cost, plain and streamed. */
class OpenAiUsageTest extends UsageFixture {
  private static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  private static final String HELLO = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]%s}";
  private static final String WORDS = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"}}]}";

  @Test
  void aPlainAnswerIsBilledOnTheUpstreamsUsageWithCachedAndReasoningTokensApart() {
    upstream.enqueue(FakeResponse.json(200, """
        {"id":"c1","object":"chat.completion","model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,
         "message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500,
          "prompt_tokens_details":{"cached_tokens":200},"completion_tokens_details":{"reasoning_tokens":100}}}"""));
    HttpResponse<String> r = post("/v1/chat/completions", "req-usage-plain", HELLO.formatted("gpt-4o-mini", ""));
    assertThat(r.statusCode()).isEqualTo(200);
    // gpt-4o-mini*: 0.15 input, 0.075 cached input, 0.60 output per million tokens
    BigDecimal cost = usd(800, "0.15", 200, "0.075", 500, "0.60");
    assertThat(r.headers().firstValue("x-tollgate-cost-usd")).contains("0.00043500");
    HttpResponse<String> fromBrowser = Http.post(server.baseUrl() + "/v1/chat/completions",
        HELLO.formatted("house-model", ""), "Authorization", "Bearer " + KEY, "Origin", "https://app.example");
    assertThat(fromBrowser.headers().firstValue("access-control-expose-headers").orElse(""))
        .as("a browser may read the cost").containsIgnoringCase("x-tollgate-cost-usd");
    assertThat(cost).isEqualByComparingTo("0.000435");
    Map<String, Object> row = row("req-usage-plain");
    assertThat(row).containsEntry("prompt_tokens", 1000).containsEntry("completion_tokens", 500)
        .containsEntry("cached_tokens", 200).containsEntry("reasoning_tokens", 100)
        .containsEntry("usage_source", "upstream");
    assertThat((BigDecimal) row.get("cost_usd")).isEqualByComparingTo(cost);
  }

  @Test
  void aStreamAsksTheUpstreamForUsageAndHidesTheUsageChunkFromAClientThatDidNotAsk() throws Exception {
    upstream.enqueue(FakeResponse.sse(List.of(WORDS.formatted("Hello"), WORDS.formatted(" there"),
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4,\"total_tokens\":14}}", "[DONE]"),
        Duration.ZERO));
    SseEvents events = stream("/v1/chat/completions", "req-usage-hidden",
        HELLO.formatted("gpt-4o-mini", ",\"stream\":true"));
    assertThat(upstream.takeRequest().json().at("/stream_options/include_usage").asBoolean()).isTrue();
    assertThat(events.data()).hasSize(3).noneMatch(d -> d.contains("usage")).last().isEqualTo("[DONE]");
    Map<String, Object> row = row("req-usage-hidden");
    assertThat(row).containsEntry("prompt_tokens", 10).containsEntry("completion_tokens", 4)
        .containsEntry("usage_source", "upstream");
    assertThat((BigDecimal) row.get("cost_usd")).isEqualByComparingTo(usd(10, "0.15", 0, "0", 4, "0.60"));
  }

  @Test
  void aClientThatAskedForUsageFindsTheCostInTheUsageChunkAndTheOpenAiSdkStillReadsIt() {
    upstream.enqueue(FakeResponse.sse(List.of(WORDS.formatted("Hello"),
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4,\"total_tokens\":14}}", "[DONE]"),
        Duration.ZERO));
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(KEY)
        .maxRetries(0).build();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Say hello")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      s.stream().forEach(chunks::add);
    }
    CompletionUsage usage = chunks.get(chunks.size() - 1).usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(10);
    assertThat(usage.completionTokens()).isEqualTo(4);
    JsonValue cost = usage._additionalProperties().get("cost_usd");
    assertThat(cost).isNotNull();
    assertThat(new BigDecimal(cost.toString())).isEqualByComparingTo(usd(10, "0.15", 0, "0", 4, "0.60"));
  }

  @Test
  void anAnswerWithoutUsageIsCountedWithTheModelsEncoding() {
    String text = "Hello there! How can I help you with tokenizers today?";
    upstream.enqueue(FakeResponse.json(200, """
        {"id":"c2","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,
         "message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}]}""".formatted(text)));
    HttpResponse<String> r = post("/v1/chat/completions", "req-usage-counted", HELLO.formatted("gpt-4o", ""));
    assertThat(r.statusCode()).isEqualTo(200);
    int prompt = 3 + O200K.countTokens("user") + O200K.countTokens("Say hello") + 3;
    int completion = O200K.countTokens(text);
    Map<String, Object> row = row("req-usage-counted");
    assertThat(row).containsEntry("prompt_tokens", prompt).containsEntry("completion_tokens", completion)
        .containsEntry("usage_source", "counted");
    // gpt-4o: 2.50 input, 10.00 output
    BigDecimal cost = usd(prompt, "2.50", 0, "0", completion, "10.00");
    assertThat((BigDecimal) row.get("cost_usd")).isEqualByComparingTo(cost);
    assertThat(new BigDecimal(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow()))
        .isEqualByComparingTo(cost);
  }

  @Test
  void aStreamWithoutUsageIsCountedOverTheTextSent() throws Exception {
    upstream.enqueue(FakeResponse.sse(List.of(WORDS.formatted("Counting"), WORDS.formatted(" tokens,"),
        WORDS.formatted(" one by one."), "[DONE]"), Duration.ZERO));
    SseEvents events = stream("/v1/chat/completions", "req-usage-counted-stream",
        HELLO.formatted("gpt-4o", ",\"stream\":true"));
    assertThat(events.last()).isEqualTo("[DONE]");
    Map<String, Object> row = row("req-usage-counted-stream");
    assertThat(row).containsEntry("prompt_tokens", 3 + O200K.countTokens("user") + O200K.countTokens("Say hello") + 3)
        .containsEntry("completion_tokens", O200K.countTokens("Counting tokens, one by one."))
        .containsEntry("usage_source", "counted");
    assertThat(row.get("cost_usd")).isNotNull();
  }

  @Test
  void aClientThatAskedForUsageGetsTheCountedUsageWhenTheUpstreamSentNone() throws Exception {
    upstream.enqueue(FakeResponse.sse(List.of("{\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Counted here\"}}]}", "[DONE]"),
        Duration.ZERO));
    SseEvents events = stream("/v1/chat/completions", "req-usage-counted-chunk",
        HELLO.formatted("gpt-4o", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
    assertThat(events.last()).isEqualTo("[DONE]");
    var usage = Http.JSON.readTree(events.data().get(events.data().size() - 2));
    int prompt = 3 + O200K.countTokens("user") + O200K.countTokens("Say hello") + 3;
    int completion = O200K.countTokens("Counted here");
    assertThat(usage.get("id").asText()).isEqualTo("s1");
    assertThat(usage.get("choices")).isEmpty();
    assertThat(usage.at("/usage/prompt_tokens").asInt()).isEqualTo(prompt);
    assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(completion);
    BigDecimal cost = usd(prompt, "2.50", 0, "0", completion, "10.00");
    assertThat(usage.at("/usage/cost_usd").decimalValue()).isEqualByComparingTo(cost);
    assertThat(row("req-usage-counted-chunk")).containsEntry("usage_source", "counted")
        .containsEntry("completion_tokens", completion);
  }

  @Test
  void aClientThatHangsUpMidStreamIsBilledForWhatWasSent() throws Exception {
    upstream.enqueue(FakeResponse.endless(WORDS.formatted("word "), Duration.ofMillis(20)));
    readSomeThenHangUp("/v1/chat/completions", "req-usage-cut", HELLO.formatted("gpt-4o", ",\"stream\":true"), 5);
    Map<String, Object> row = row("req-usage-cut");
    assertThat((Integer) row.get("completion_tokens")).isGreaterThanOrEqualTo(5);
    assertThat(row).containsEntry("prompt_tokens", 3 + O200K.countTokens("user") + O200K.countTokens("Say hello") + 3)
        .containsEntry("usage_source", "counted");
    assertThat(row.get("cost_usd")).isNotNull();
  }

  @Test
  void aStreamTheUpstreamDropsIsBilledForWhatWasSent() throws Exception {
    upstream.enqueue(FakeResponse.dropAfter(List.of(WORDS.formatted("Half"), WORDS.formatted(" an answer"))));
    SseEvents events = stream("/v1/chat/completions", "req-usage-dropped",
        HELLO.formatted("gpt-4o", ",\"stream\":true"));
    assertThat(events.last()).contains("error");
    Map<String, Object> row = row("req-usage-dropped");
    assertThat(row).containsEntry("completion_tokens", O200K.countTokens("Half an answer"))
        .containsEntry("usage_source", "counted");
  }

  @Test
  void aModelWithoutAPriceHasNoCostRatherThanAZeroOne() {
    upstream.enqueue(FakeResponse.json(200, """
        {"id":"c3","object":"chat.completion","model":"some-local-llm","choices":[{"index":0,
         "message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}"""));
    HttpResponse<String> r = post("/v1/chat/completions", "req-usage-unpriced", HELLO.formatted("house-model", ""));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-tollgate-cost-usd")).isEmpty();
    Map<String, Object> row = row("req-usage-unpriced");
    assertThat(row).containsEntry("prompt_tokens", 5).containsEntry("usage_source", "upstream");
    assertThat(row.get("cost_usd")).isNull();
  }

  @Test
  void embeddingsArePricedByTheUpstreamModelWhenThePublicNameHasNoPrice() {
    upstream.enqueue(FakeResponse.json(200, """
        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],
         "model":"text-embedding-3-small","usage":{"prompt_tokens":50000,"total_tokens":50000}}"""));
    HttpResponse<String> r = post("/v1/embeddings", "req-usage-embed", "{\"model\":\"embedder\",\"input\":\"hi\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).at("/usage/prompt_tokens").asInt()).isEqualTo(50000);
    // text-embedding-3-small: 0.02 per million input tokens
    assertThat(r.headers().firstValue("x-tollgate-cost-usd")).contains("0.00100000");
    assertThat(row("req-usage-embed")).containsEntry("prompt_tokens", 50000).containsEntry("usage_source", "upstream");
  }

  @Test
  void legacyCompletionsCarryTheCostHeaderToo() {
    upstream.enqueue(FakeResponse.json(200, """
        {"id":"c4","object":"text_completion","model":"gpt-4o-mini","choices":[{"index":0,"text":"Hi",
         "finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":10,"total_tokens":110}}"""));
    HttpResponse<String> r = post("/v1/completions", "req-usage-legacy",
        "{\"model\":\"gpt-4o-mini\",\"prompt\":\"Say hi\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new BigDecimal(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow()))
        .isEqualByComparingTo(usd(100, "0.15", 0, "0", 10, "0.60"));
    assertThat(Http.JSON.valueToTree(row("req-usage-legacy")).path("completion_tokens").asInt()).isEqualTo(10);
  }
}
