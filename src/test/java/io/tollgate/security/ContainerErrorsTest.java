package io.tollgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.Http;
import io.tollgate.testing.RawHttp;
import io.tollgate.testing.WebappServer;
import io.tollgate.testing.WebappServer.Container;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the container would answer with its own HTML page (a stack trace, its version) is JSON from the webapp's
 * error page; what the connector answers before the webapp (a huge header, a huge URL, an encoded slash) is JSON in
 * OpenAI's shape too, without a stack trace or version, from the container's error report that deploy/ installs
 * (io.tollgate.container).
 */
class ContainerErrorsTest {
  private static final String KEY = "sk-tollgate-container-errors";
  private static final Map<Container, WebappServer> SERVERS = new EnumMap<>(Container.class);

  private static synchronized WebappServer server(Container container) {
    return SERVERS.computeIfAbsent(container, c -> c.start(Map.of("API_KEYS", KEY)));
  }

  @AfterAll
  static void stop() {
    SERVERS.values().forEach(WebappServer::close);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void theWebappsOwnErrorsAreJsonInTheirDialect(Container container) throws Exception {
    WebappServer server = server(container);
    RawHttp.Answer get = RawHttp.send(server.baseUrl(), "GET", "/v1/chat/completions", null,
        "Authorization", "Bearer " + KEY);
    assertThat(get.status()).isEqualTo(405);
    assertThat(Http.JSON.readTree(get.body()).path("error").path("code").asText()).isEqualTo("method_not_allowed");
    RawHttp.Answer messages = RawHttp.send(server.baseUrl(), "GET", "/v1/messages", null, "x-api-key", KEY);
    assertThat(messages.status()).isEqualTo(405);
    assertThat(Http.JSON.readTree(messages.body()).path("type").asText()).isEqualTo("error");
    // Tomcat refuses TRACE itself and renders the context's error page (its own HTML page before); Jetty answers
    // it with an empty 405.
    RawHttp.Answer trace = RawHttp.send(server.baseUrl(), "TRACE", "/v1/models", null);
    assertThat(trace.status()).isBetween(400, 499);
    if (container == Container.TOMCAT) {
      assertThat(Http.JSON.readTree(trace.body()).path("error").path("message").asText()).isNotBlank();
    } else {
      assertThat(trace.body()).isEmpty();
    }
    RawHttp.Answer direct = RawHttp.send(server.baseUrl(), "GET", "/error-page", null, "Authorization",
        "Bearer " + KEY);
    assertThat(direct.status()).isEqualTo(404);
    assertThat(Http.JSON.readTree(direct.body()).path("error").path("code").asText()).isEqualTo("not_found");
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void theConnectorsOwnErrorsAreJsonWithoutStackTraceOrVersion(Container container) throws Exception {
    WebappServer server = server(container);
    RawHttp.Answer longUri = RawHttp.send(server.baseUrl(), "GET", "/v1/models/" + "x".repeat(9_000), null);
    assertOpenAiShaped(longUri);
    RawHttp.Answer bigHeader = RawHttp.send(server.baseUrl(), "GET", "/v1/models", null, "X-Padding",
        "p".repeat(100_000));
    assertOpenAiShaped(bigHeader);
    assertThat(bigHeader.status()).isEqualTo(431);
    assertOpenAiShaped(RawHttp.send(server.baseUrl(), "GET", "/v1%2Fmodels", null, "Authorization",
        "Bearer " + KEY));
  }

  /** A 4xx in OpenAI's error shape, as JSON, with no stack trace and no container name or version. */
  private static void assertOpenAiShaped(RawHttp.Answer answer) throws Exception {
    assertThat(answer.status()).isBetween(400, 499);
    assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(" at org.")
        .doesNotContainIgnoringCase("tomcat").doesNotContainIgnoringCase("jetty");
    assertThat(String.valueOf(answer.header("Server"))).doesNotContainIgnoringCase("tomcat")
        .doesNotContainIgnoringCase("jetty");
    assertThat(answer.header("Content-Type")).as(answer.body()).startsWith("application/json");
    JsonNode error = Http.JSON.readTree(answer.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asText()).isNotBlank();
  }
}
