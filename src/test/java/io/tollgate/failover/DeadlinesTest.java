package io.tollgate.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Each provider's limits hold: time to the first byte and the total over all attempts end in a 504 in the client's
 * dialect, the upstream's request is cancelled, and a timeout is retried only when the operator asked for that.
 */
class DeadlinesTest extends FailoverFixture {
  private static final String ANSWER = "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"late\"},\"finish_reason\":\"stop\"}]}";

  private FakeUpstream up;

  private void startSlow(String options, String... settings) {
    up = upstream();
    start("""
          - name: slow
            type: openai
            base_url: %s
            api_keys: [sk-slow-key-0-00000000, sk-slow-key-1-00000000]
            options: {%s}
        """.formatted(up.baseUrl(), options), """
          - {name: slow-model, targets: [{provider: slow, model: m}]}
        """, settings);
  }

  @Test
  void aProvidersTotalTimeoutEndsTheRequestWithA504AndCancelsTheUpstreamCall() {
    startSlow("total_timeout: 1s");
    up.enqueue(FakeResponse.json(200, ANSWER).withHeadersDelay(Duration.ofSeconds(8)));
    long start = System.nanoTime();
    HttpResponse<String> r = chat("slow-model", false, "req-total");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(Http.json(r).at("/error/type").asText()).isEqualTo("upstream_error");
    assertThat(tookMs).as("bounded by the 1 s limit, with room for a slow machine").isLessThan(4_000);
    assertThat(up.awaitClientDisconnect(Duration.ofSeconds(3))).as("the upstream saw the call abandoned").isTrue();
    assertThat(up.requestCount()).as("a timeout is not retried by default").isEqualTo(1);
    assertThat(row("req-total")).containsEntry("status", 504);
  }

  @Test
  void aFirstByteTimeoutIsA504InEachDialectAndIsRetriedOnlyWhenAskedTo() {
    startSlow("first_byte_timeout: 500ms", "RETRY_ON_TIMEOUT", "true", "RETRY_TIMES", "1");
    up.enqueue(FakeResponse.json(200, ANSWER).withHeadersDelay(Duration.ofSeconds(8)));
    up.enqueue(FakeResponse.json(200, ANSWER));
    HttpResponse<String> retried = chat("slow-model", false, "req-first-byte-retried");
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(up.requestCount()).isEqualTo(2);
    assertThat(attempts(row("req-first-byte-retried")).get(0).path("status").asInt()).isEqualTo(504);

    up.enqueue(FakeResponse.json(200, ANSWER).withHeadersDelay(Duration.ofSeconds(8)));
    up.enqueue(FakeResponse.json(200, ANSWER).withHeadersDelay(Duration.ofSeconds(8)));
    HttpResponse<String> stream = chat("slow-model", true, "req-first-byte-stream");
    assertThat(stream.statusCode()).isEqualTo(504);
    assertThat(Http.json(stream).at("/error/code").asText()).isEqualTo("upstream_timeout");

    up.enqueue(FakeResponse.json(200, ANSWER).withHeadersDelay(Duration.ofSeconds(8)));
    up.enqueue(FakeResponse.json(200, ANSWER).withHeadersDelay(Duration.ofSeconds(8)));
    HttpResponse<String> messages = Http.post(server.baseUrl() + "/v1/messages",
        "{\"model\":\"slow-model\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-api-key", CLIENT, "anthropic-version", "2023-06-01");
    assertThat(messages.statusCode()).isEqualTo(504);
    assertThat(Http.json(messages).path("type").asText()).isEqualTo("error");
    assertThat(Http.json(messages).at("/error/type").asText()).isNotBlank();
  }

  @Test
  void withoutRetryOnTimeoutAHungUpstreamIsAskedOnce() {
    startSlow("first_byte_timeout: 500ms");
    up.enqueue(FakeResponse.json(200, ANSWER).withHeadersDelay(Duration.ofSeconds(8)));
    assertThat(chat("slow-model", true, "req-first-byte-once").statusCode()).isEqualTo(504);
    assertThat(up.requestCount()).isEqualTo(1);
  }
}
