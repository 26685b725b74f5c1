package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.CapturedLogs;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a client, the request log and the application log say when the wire to an upstream fails: a short fixed
 * sentence naming the provider, never the client library's dump of connections, addresses and ports.
 */
class UpstreamFailureMessagesTest extends UpstreamFixture {
  private static final String CLOSED_BEFORE = "The upstream provider 'main' closed the connection before answering.";

  @Test
  void aPlainCallTheUpstreamHangsUpOnSaysSoAndNothingMore() {
    try (CapturedLogs logs = CapturedLogs.attach(Logger.ROOT_LOGGER_NAME)) {
      upstream.enqueue(FakeResponse.hangUp());
      HttpResponse<String> r = post(chat(false, ""), "req-hang-up-plain");
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(error(r).path("message").asText()).isEqualTo(CLOSED_BEFORE);
      assertThat(error(r).path("code").asText()).isEqualTo("bad_gateway");
      assertThat(rowError("req-hang-up-plain")).isEqualTo(CLOSED_BEFORE);
      assertLoggedOnlyCleanly(logs, CLOSED_BEFORE);
    }
  }

  @Test
  void aStreamedCallTheUpstreamHangsUpOnSaysSoAndNothingMore() {
    try (CapturedLogs logs = CapturedLogs.attach(Logger.ROOT_LOGGER_NAME)) {
      upstream.enqueue(FakeResponse.hangUp());
      HttpResponse<String> r = post(chat(true, ""), "req-hang-up-stream");
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(error(r).path("message").asText()).isEqualTo(CLOSED_BEFORE);
      assertThat(rowError("req-hang-up-stream")).isEqualTo(CLOSED_BEFORE);
      assertLoggedOnlyCleanly(logs, CLOSED_BEFORE);
    }
  }

  @Test
  void aStreamCutMidAnswerEndsWithAShortErrorEvent() {
    String expected = "The upstream provider 'main' closed the connection in the middle of its answer.";
    try (CapturedLogs logs = CapturedLogs.attach(Logger.ROOT_LOGGER_NAME)) {
      upstream.enqueue(FakeResponse.dropAfter(List.of("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\","
          + "\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}")));
      HttpResponse<String> r = post(chat(true, ""), "req-drop-stream");
      assertThat(r.statusCode()).isEqualTo(200);
      List<String> data = r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
      assertThat(data).hasSizeGreaterThan(1).doesNotContain("[DONE]");
      JsonNode last = parse(data.get(data.size() - 1));
      assertThat(last.at("/error/message").asText()).isEqualTo(expected);
      assertThat(rowError("req-drop-stream")).isEqualTo(expected);
      assertLoggedOnlyCleanly(logs, expected);
    }
  }

  @Test
  void aRefusedConnectionNamesTheProviderNotItsAddress() {
    HttpResponse<String> r = post("{\"model\":\"dead\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "req-refused");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(error(r).path("code").asText()).isEqualTo("upstream_unreachable");
    assertThat(error(r).path("message").asText()).isEqualTo("The upstream provider 'nowhere' refused the connection.");
  }

  @Test
  void aSilentUpstreamIsATimeoutNamingTheProvider() {
    upstream.enqueue(FakeResponse.json(200, "{}").withHeadersDelay(Duration.ofSeconds(4)));
    HttpResponse<String> r = post(chat(false, ""), "req-silent");
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(error(r).path("message").asText()).isEqualTo("The upstream provider 'main' did not answer in time.");
  }

  @Test
  void aRefusedCredentialIsOneSentenceWithoutADoubledWord() {
    // Both keys of the pool refuse: the first refusal is retried at once on the other key.
    upstream.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}"));
    upstream.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}"));
    HttpResponse<String> r = post(chat(false, ""), "req-credential");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(error(r).path("message").asText())
        .isEqualTo("The upstream provider 'main' rejected the gateway's credential (HTTP 401).");
  }

  private static HttpResponse<String> post(String body, String requestId) {
    return Http.post(url("/v1/chat/completions"), body, "Authorization", bearer(KEY), "X-Request-Id", requestId);
  }

  private static JsonNode error(HttpResponse<String> r) {
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    JsonNode error = json(r).path("error");
    assertNoAddress(error.toString());
    return error;
  }

  private static String rowError(String requestId) {
    Map<String, Object> row = rows.await(requestId, Duration.ofSeconds(10));
    return (String) row.get("error");
  }

  private static void assertLoggedOnlyCleanly(CapturedLogs logs, String message) {
    assertThat(logs.lines()).anySatisfy(line -> {
      assertThat(line.level()).isEqualTo("WARN");
      assertThat(line.message()).contains("main").contains(message);
    });
    logs.lines().stream().filter(l -> !l.level().equals("DEBUG") && !l.level().equals("TRACE"))
        .forEach(l -> assertThat(l.text()).as(l.logger()).doesNotContain("@").doesNotContain("127.0.0.1")
            .doesNotContain(String.valueOf(upstream.port())));
  }

  private static void assertNoAddress(String text) {
    assertThat(text).doesNotContain("@").doesNotContain("127.0.0.1")
        .doesNotContain(String.valueOf(upstream.port())).doesNotContainPattern(":\\d{2,5}\\b");
  }

  private static JsonNode parse(String json) {
    try {
      return Http.JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
