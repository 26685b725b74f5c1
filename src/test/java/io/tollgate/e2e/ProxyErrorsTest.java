package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyErrorsTest extends UpstreamFixture {

  private static HttpResponse<String> call(String body) {
    HttpResponse<String> r = post(url("/v1/chat/completions"), body, "Authorization", bearer(KEY));
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    return r;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed JSON|{\"model\":|400|invalid_json|",
      "not an object|[1,2]|400||",
      "no model|{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}|400||model",
      "no messages|{\"model\":\"gpt-test\"}|400||messages",
      "bad role|{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}|400||messages[0].role",
      "stream not boolean|{\"model\":\"gpt-test\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}|400||stream",
      "unknown model|{\"model\":\"no-such\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}|404|model_not_found|model"})
  void badInputGetsAClear4xxAndNeverReachesTheUpstream(String name, String body, int status, String code, String param) {
    HttpResponse<String> r = call(body);
    assertThat(r.statusCode()).isEqualTo(status);
    JsonNode error = json(r).path("error");
    assertThat(error.path("message").asText()).isNotBlank();
    if (code != null) {
      assertThat(error.path("code").asText()).isEqualTo(code);
    }
    if (param != null) {
      assertThat(error.path("param").asText()).isEqualTo(param);
    }
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void upstream400KeepsItsStatusAndMessage() {
    upstream.enqueue(FakeResponse.json(400, "{\"error\":{\"message\":\"max_tokens is too large\","
        + "\"type\":\"invalid_request_error\",\"param\":\"max_tokens\",\"code\":\"context_length\"}}"));
    HttpResponse<String> r = call(chat(false, ""));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).at("/error/message").asText()).isEqualTo("max_tokens is too large");
    assertThat(json(r).at("/error/param").asText()).isEqualTo("max_tokens");
    assertThat(json(r).at("/error/code").asText()).isEqualTo("context_length");
  }

  @Test
  void aNumericUpstreamCodeGoesIntoTheMessage() {
    upstream.enqueue(FakeResponse.json(422, "{\"error\":{\"message\":\"bad thing\",\"code\":1214}}"));
    HttpResponse<String> r = call(chat(false, ""));
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(json(r).at("/error/message").asText()).contains("bad thing").contains("1214");
    assertThat(json(r).at("/error/code").isNull() || json(r).at("/error/code").isTextual()).isTrue();
  }

  @Test
  void upstream429KeepsRetryAfter() {
    upstream.enqueue(FakeResponse.json(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\"}}")
        .withHeader("Retry-After", "7"));
    HttpResponse<String> r = call(chat(false, ""));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After")).contains("7");
    assertThat(json(r).at("/error/message").asText()).isEqualTo("slow down");
  }

  @Test
  void upstream401OnAPooledKeyIsTheGatewaysProblem502() {
    // Both keys of the pool refuse: the first refusal is retried at once on the other key.
    upstream.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-up***\"}}"));
    upstream.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-up***\"}}"));
    HttpResponse<String> r = call(chat(false, ""));
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(json(r).at("/error/code").asText()).isEqualTo("upstream_auth_error");
  }

  @Test
  void upstream401WithPassThroughStays401() {
    upstream.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"bad key\"}}"));
    HttpResponse<String> r = post(url("/v1/chat/completions"),
        "{\"model\":\"own-key-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "X-API-Key", KEY, "Authorization", "Bearer user-token");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(json(r).at("/error/message").asText()).isEqualTo("bad key");
  }

  @Test
  void upstream5xxBecomes502WithoutAStackTrace() {
    upstream.enqueue(FakeResponse.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
    HttpResponse<String> r = call(chat(false, ""));
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(json(r).at("/error/message").asText()).contains("overloaded");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.tollgate");
  }

  @Test
  void unreachableUpstreamIs502() {
    HttpResponse<String> r = call("{\"model\":\"dead\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(json(r).at("/error/code").asText()).isEqualTo("upstream_unreachable");
  }

  @Test
  void slowUpstreamIs504() {
    upstream.enqueue(FakeResponse.json(200, "{}").withHeadersDelay(Duration.ofSeconds(4)));
    HttpResponse<String> r = call(chat(false, ""));
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(json(r).at("/error/code").asText()).isEqualTo("upstream_timeout");
  }

  @Test
  void aTwentyMegabyteBodyGetsAReadable413() {
    byte[] big = new byte[20 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) 'a');
    HttpRequest request = Http.builder(url("/v1/chat/completions"), "Authorization", bearer(KEY),
        "Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build();
    HttpResponse<String> r = Http.send(request);
    assertThat(r.statusCode()).isEqualTo(413);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(upstream.requestCount()).isZero();
  }
}
