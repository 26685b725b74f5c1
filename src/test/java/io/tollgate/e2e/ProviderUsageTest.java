package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/USAGE.md, for Anthropic and Gemini upstreams, on the OpenAI entry point and on /v1/messages (forwarded to
 * Anthropic as it is, or translated): their native usage mapped, cache and reasoning tokens apart, and cost.
 */
class ProviderUsageTest extends UsageFixture {
  private static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]%s}";
  private static final String MESSAGES = "{\"model\":\"%s\",\"max_tokens\":100,%s"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  private static final String ANTHROPIC_ANSWER = """
      {"id":"msg_1","type":"message","role":"assistant","model":"claude-upstream",
       "content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,
       "usage":{"input_tokens":100,"cache_read_input_tokens":200,"cache_creation_input_tokens":50,
        "output_tokens":40}}""";
  private static final String GEMINI_ANSWER = """
      {"candidates":[{"content":{"role":"model","parts":[{"text":"Hello!"}]},"finishReason":"STOP","index":0}],
       "usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":20,"thoughtsTokenCount":30,
        "cachedContentTokenCount":40,"totalTokenCount":150},"modelVersion":"gemini-2.5-flash"}""";
  /** claude-sonnet-4*: 3.00 input, 0.30 cache reads, 15.00 output; cache writes count as input. */
  private static final BigDecimal ANTHROPIC_COST = usd(150, "3.00", 200, "0.30", 40, "15.00");
  /** gemini-2.5-flash*: 0.30 input, 0.03 cached, 2.50 output; thoughts are output. */
  private static final BigDecimal GEMINI_COST = usd(60, "0.30", 40, "0.03", 50, "2.50");

  @Test
  void anthropicsUsageCountsCacheReadsAndWritesAsPromptAndKeepsReadsApart() {
    upstream.enqueue(FakeResponse.json(200, ANTHROPIC_ANSWER));
    HttpResponse<String> r = post("/v1/chat/completions", "req-pu-claude", CHAT.formatted("claude-sonnet-4", ""));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new BigDecimal(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow()))
        .isEqualByComparingTo(ANTHROPIC_COST);
    assertAnthropicRow("req-pu-claude", "upstream");
  }

  @Test
  void aMessagesCallForwardedToAnthropicIsBilledOnItsUsage() {
    upstream.enqueue(FakeResponse.json(200, ANTHROPIC_ANSWER));
    HttpResponse<String> r = post("/v1/messages", "req-pu-native", MESSAGES.formatted("claude-sonnet-4", ""));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new BigDecimal(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow()))
        .isEqualByComparingTo(ANTHROPIC_COST);
    assertAnthropicRow("req-pu-native", "upstream");
  }

  @Test
  void anAnthropicStreamIsBilledOnItsMessageDeltaOnBothEntryPoints() throws Exception {
    upstream.enqueue(FakeResponse.rawEvents(anthropicStream(List.of("Hello", " there!"), true), Duration.ZERO));
    SseEvents chat = stream("/v1/chat/completions", "req-pu-claude-stream",
        CHAT.formatted("claude-sonnet-4", ",\"stream\":true"));
    assertThat(chat.data()).noneMatch(d -> d.contains("\"usage\"")).last().isEqualTo("[DONE]");
    upstream.enqueue(FakeResponse.rawEvents(anthropicStream(List.of("Hello", " there!"), true), Duration.ZERO));
    SseEvents messages = stream("/v1/messages", "req-pu-native-stream",
        MESSAGES.formatted("claude-sonnet-4", "\"stream\":true,"));
    assertThat(messages.last()).contains("message_stop");
    for (String id : List.of("req-pu-claude-stream", "req-pu-native-stream")) {
      assertAnthropicRow(id, "upstream");
    }
  }

  @Test
  void aClientAskingForUsageOfAnAnthropicStreamFindsItsCost() throws Exception {
    upstream.enqueue(FakeResponse.rawEvents(anthropicStream(List.of("Hi"), true), Duration.ZERO));
    SseEvents chat = stream("/v1/chat/completions", "req-pu-claude-usage",
        CHAT.formatted("claude-sonnet-4", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
    String usage = chat.data().get(chat.data().size() - 2);
    assertThat(new BigDecimal(io.tollgate.testing.Http.JSON.readTree(usage).at("/usage/cost_usd").asText()))
        .isEqualByComparingTo(ANTHROPIC_COST);
  }

  @Test
  void aForwardedAnthropicStreamCutByTheClientKeepsTheUpstreamsPromptCountAndCountsTheTextSent()
      throws Exception {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      words.add(" word");
    }
    upstream.enqueue(FakeResponse.rawEvents(anthropicStream(words, false), Duration.ofMillis(20)));
    // message_start, content_block_start, ping, then five deltas
    readSomeThenHangUp("/v1/messages", "req-pu-native-cut", MESSAGES.formatted("claude-sonnet-4",
        "\"stream\":true,"), 8);
    Map<String, Object> row = row("req-pu-native-cut");
    assertThat(row).containsEntry("prompt_tokens", 350).containsEntry("cached_tokens", 200)
        .containsEntry("usage_source", "counted");
    int completion = (Integer) row.get("completion_tokens");
    assertThat(completion).isBetween(5, 299);
    assertThat((BigDecimal) row.get("cost_usd")).isEqualByComparingTo(usd(150, "3.00", 200, "0.30", completion,
        "15.00"));
  }

  @Test
  void geminisUsageKeepsCachedAndThoughtTokensApartAndBillsThoughtsAsOutput() {
    upstream.enqueue(FakeResponse.json(200, GEMINI_ANSWER));
    HttpResponse<String> r = post("/v1/chat/completions", "req-pu-gemini", CHAT.formatted("gemini-2.5-flash", ""));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new BigDecimal(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow()))
        .isEqualByComparingTo(GEMINI_COST);
    assertGeminiRow("req-pu-gemini");
  }

  @Test
  void aGeminiStreamAndTranslatedMessagesCallsAreBilledTheSameWay() throws Exception {
    upstream.enqueue(FakeResponse.sse(List.of(GEMINI_ANSWER.replace("\n", "")), Duration.ZERO));
    SseEvents events = stream("/v1/chat/completions", "req-pu-gemini-stream",
        CHAT.formatted("gemini-2.5-flash", ",\"stream\":true"));
    assertThat(events.last()).isEqualTo("[DONE]");
    assertGeminiRow("req-pu-gemini-stream");

    upstream.enqueue(FakeResponse.sse(List.of(GEMINI_ANSWER.replace("\n", "")), Duration.ZERO));
    SseEvents translated = stream("/v1/messages", "req-pu-gemini-messages-stream",
        MESSAGES.formatted("gemini-2.5-flash", "\"stream\":true,"));
    assertThat(translated.last()).contains("message_stop");
    assertGeminiRow("req-pu-gemini-messages-stream");

    upstream.enqueue(FakeResponse.json(200, GEMINI_ANSWER));
    HttpResponse<String> r = post("/v1/messages", "req-pu-gemini-messages", MESSAGES.formatted("gemini-2.5-flash",
        ""));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new BigDecimal(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow()))
        .isEqualByComparingTo(GEMINI_COST);
    assertGeminiRow("req-pu-gemini-messages");
  }

  @Test
  void azureStreamsAreAskedForUsageAndPricedByTheirPublicName() throws Exception {
    upstream.enqueue(FakeResponse.sse(List.of("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100,\"total_tokens\":1100,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":400}}}", "[DONE]"), Duration.ZERO));
    SseEvents events = stream("/v1/chat/completions", "req-pu-azure", CHAT.formatted("azure-4o", ",\"stream\":true"));
    assertThat(events.data()).noneMatch(d -> d.contains("\"usage\""));
    assertThat(upstream.takeRequest().json().at("/stream_options/include_usage").asBoolean()).isTrue();
    Map<String, Object> row = row("req-pu-azure");
    assertThat(row).containsEntry("prompt_tokens", 1000).containsEntry("cached_tokens", 400)
        .containsEntry("usage_source", "upstream");
    // no price for azure-4o nor my-gpt-4o-deployment: the model table has none to give
    assertThat(row.get("cost_usd")).isNull();
  }

  @Test
  void theEchoProviderReportsItsOwnUsagePlainAndStreamed() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", "req-pu-echo", CHAT.formatted("echo", ""));
    assertThat(r.statusCode()).isEqualTo(200);
    stream("/v1/chat/completions", "req-pu-echo-stream", CHAT.formatted("echo", ",\"stream\":true"));
    for (String id : List.of("req-pu-echo", "req-pu-echo-stream")) {
      Map<String, Object> row = row(id);
      assertThat((Integer) row.get("prompt_tokens")).isPositive();
      assertThat((Integer) row.get("completion_tokens")).isPositive();
      assertThat(row).containsEntry("usage_source", "upstream");
    }
  }

  private static void assertAnthropicRow(String requestId, String source) {
    Map<String, Object> row = row(requestId);
    assertThat(row).containsEntry("prompt_tokens", 350).containsEntry("completion_tokens", 40)
        .containsEntry("cached_tokens", 200).containsEntry("usage_source", source);
    assertThat((BigDecimal) row.get("cost_usd")).isEqualByComparingTo(ANTHROPIC_COST);
  }

  private static void assertGeminiRow(String requestId) {
    Map<String, Object> row = row(requestId);
    assertThat(row).containsEntry("prompt_tokens", 100).containsEntry("completion_tokens", 50)
        .containsEntry("cached_tokens", 40).containsEntry("reasoning_tokens", 30)
        .containsEntry("usage_source", "upstream");
    assertThat((BigDecimal) row.get("cost_usd")).isEqualByComparingTo(GEMINI_COST);
  }

  /** An Anthropic stream of these text deltas; whole, it ends with message_delta's final counts. */
  private static List<String> anthropicStream(List<String> texts, boolean whole) {
    List<String> events = new ArrayList<>();
    events.add(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-upstream\",\"content\":[],\"stop_reason\":null,"
        + "\"usage\":{\"input_tokens\":100,\"cache_read_input_tokens\":200,\"cache_creation_input_tokens\":50,"
        + "\"output_tokens\":1}}}"));
    events.add(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    events.add(event("ping", "{\"type\":\"ping\"}"));
    for (String text : texts) {
      events.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}"));
    }
    if (whole) {
      events.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
      events.add(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
          + "\"usage\":{\"output_tokens\":40}}"));
      events.add(event("message_stop", "{\"type\":\"message_stop\"}"));
    }
    return events;
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data;
  }
}
