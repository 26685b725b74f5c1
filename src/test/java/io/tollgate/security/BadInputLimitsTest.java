package io.tollgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.Http;
import io.tollgate.testing.RawHttp;
import io.tollgate.testing.WebappServer;
import io.tollgate.testing.WebappServer.Container;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bodies past the parser's bounds (nesting, number, string and name length), past the number of turns and tools,
 * with broken UTF-8 or of another content type, and heads past the connector's header limits: each gets a 4xx, in
 * the path's dialect where the webapp answers, in OpenAI's where the container does (io.tollgate.container), and never
 * a 500. On Tomcat and on Jetty.
 */
class BadInputLimitsTest {
  private static final String KEY = "sk-tollgate-limits";
  private static final String CHAT = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
  private static final Map<Container, WebappServer> SERVERS = new EnumMap<>(Container.class);

  private static synchronized WebappServer server(Container container) {
    // Room for a string past Jackson's 20,000,000 characters inside one body.
    return SERVERS.computeIfAbsent(container, c -> c.start(Map.of("TOLLGATE_CONFIG",
        BootstrapFiles.echoWithClient("limits", KEY), "MAX_BODY_BYTES", "25000000")));
  }

  @AfterAll
  static void stop() {
    SERVERS.values().forEach(WebappServer::close);
  }

  private static RawHttp.Answer chat(Container c, String body) {
    return RawHttp.send(server(c).baseUrl(), "POST", "/v1/chat/completions", body, "Authorization", "Bearer " + KEY);
  }

  private static RawHttp.Answer messages(Container c, String body) {
    return RawHttp.send(server(c).baseUrl(), "POST", "/v1/messages", body, "x-api-key", KEY);
  }

  /** A 400 in OpenAI's shape whose message contains {@code says}. */
  private static void openAi400(RawHttp.Answer answer, String says) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    JsonNode error = json(answer).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asText()).contains(says).doesNotContain("StreamReadConstraints");
  }

  private static void anthropic400(RawHttp.Answer answer, String says) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(json(answer).path("type").asText()).isEqualTo("error");
    assertThat(json(answer).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(json(answer).path("error").path("message").asText()).contains(says);
  }

  private static JsonNode json(RawHttp.Answer answer) {
    try {
      return Http.JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new UncheckedIOException(answer.status() + " " + answer.body(), e);
    }
  }

  private static String withExtra(String field) {
    return CHAT + ",\"" + "x" + "\":" + field + "}";
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void jsonPastTheParsersBoundsIsA400NamingTheBound(Container c) {
    // The root object is the first level: 255 arrays inside it are 256 levels, the most a body may have.
    assertThat(chat(c, withExtra("[".repeat(255) + "]".repeat(255))).status()).isEqualTo(200);
    openAi400(chat(c, withExtra("[".repeat(256) + "]".repeat(256))), "deeper than 256 levels");
    anthropic400(messages(c, withExtra("[".repeat(100_000) + "]".repeat(100_000))), "deeper than 256 levels");
    openAi400(chat(c, withExtra("1" + "0".repeat(1_000))), "number longer than 1000 characters");
    openAi400(chat(c, withExtra("\"" + "s".repeat(20_000_001) + "\"")),
        "string longer than 20000000 characters");
    openAi400(chat(c, CHAT + ",\"" + "n".repeat(50_001) + "\":1}"), "property name longer than 50000");
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void tooManyTurnsOrToolsAreA400InEveryDialect(Container c) {
    String turn = "{\"role\":\"user\",\"content\":\"x\"}";
    String tool = "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}";
    IntFunction<String> chatTurns = n -> "{\"model\":\"echo\",\"messages\":[" + repeat(turn, n) + "]}";
    RawHttp.Answer turns = chat(c, chatTurns.apply(100_001));
    openAi400(turns, "'messages' has 100001 items; at most 100000");
    assertThat(json(turns).path("error").path("param").asText()).isEqualTo("messages");
    String tools = CHAT + ",\"tools\":[%s]}";
    assertThat(chat(c, tools.formatted(repeat(tool, 10_000))).status()).isEqualTo(200);
    openAi400(chat(c, tools.formatted(repeat(tool, 10_001))), "'tools' has 10001 items; at most 10000");

    String anthropicTool = "{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}";
    anthropic400(messages(c, "{\"model\":\"echo\",\"max_tokens\":5,\"messages\":[" + repeat(turn, 100_001) + "]}"),
        "messages: List should have at most 100000 items");
    anthropic400(messages(c, "{\"model\":\"echo\",\"max_tokens\":5,\"messages\":[" + turn + "],\"tools\":["
        + repeat(anthropicTool, 10_001) + "]}"), "tools: List should have at most 10000 items");

    String content = "{\"role\":\"user\",\"parts\":[{\"text\":\"x\"}]}";
    openAi400(chat(c, "{\"model\":\"echo\",\"contents\":[" + repeat(content, 100_001) + "]}"),
        "'contents' has 100001 turns; at most 100000");
    String declarations = "{\"model\":\"echo\",\"contents\":[" + content + "],\"tools\":[{\"functionDeclarations\":["
        + repeat("{\"name\":\"f\"}", 10_001) + "]}]}";
    openAi400(chat(c, declarations), "'tools' has 10001 items");
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void brokenUtf8IsA400(Container c) {
    String base = server(c).baseUrl();
    RawHttp.Answer text = RawHttp.sendBytes(base, "POST", "/v1/chat/completions",
        bytes(CHAT.replace("hi", "h\u00e9 \u4f60\u597d \ud83d\ude00") + "}", StandardCharsets.UTF_8),
        "application/json", "Authorization", "Bearer " + KEY);
    assertThat(json(text).path("choices").get(0).path("message").path("content").asText())
        .as("real UTF-8 of one to four bytes").isEqualTo("h\u00e9 \u4f60\u597d \ud83d\ude00");
    byte[][] broken = {
        // A surrogate encoded on its own (CESU-8): Jackson alone would decode it.
        bytes(CHAT.replace("hi", "h\u00ed\u00a0\u0080i") + "}", StandardCharsets.ISO_8859_1),
        bytes(CHAT.replace("hi", "h\u00ffi") + "}", StandardCharsets.ISO_8859_1), // never valid in UTF-8
        bytes(CHAT.replace("hi", "h\u00c0\u00afi") + "}", StandardCharsets.ISO_8859_1), // an overlong /
        bytes(CHAT.replace("hi", "h\u00e2\u0082") + "}", StandardCharsets.ISO_8859_1), // cut short by the quote
    };
    for (byte[] body : broken) {
      RawHttp.Answer answer = RawHttp.sendBytes(base, "POST", "/v1/chat/completions", body, "application/json",
          "Authorization", "Bearer " + KEY);
      openAi400(answer, "not valid UTF-8 (at byte 55)");
      anthropic400(RawHttp.sendBytes(base, "POST", "/v1/messages", body, "application/json", "x-api-key", KEY),
          "not valid UTF-8");
    }
  }

  /**
   * Bodies are JSON whatever their declared type (docs/ARCHITECTURE.md), and the container never parses one as form
   * parameters: a JSON body is served, anything else is a 400 saying it is not JSON.
   */
  @ParameterizedTest
  @EnumSource(Container.class)
  void theDeclaredTypeDoesNotChangeHowABodyIsRead(Container c) {
    String base = server(c).baseUrl();
    String json = CHAT + "}";
    for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/octet-stream"}) {
      assertThat(RawHttp.sendBytes(base, "POST", "/v1/chat/completions", bytes(json, StandardCharsets.UTF_8), type,
          "Authorization", "Bearer " + KEY).status()).as(type).isEqualTo(200);
    }
    assertThat(RawHttp.sendBytes(base, "POST", "/v1/chat/completions", bytes(json, StandardCharsets.UTF_8), null,
        "Authorization", "Bearer " + KEY).status()).as("no type at all").isEqualTo(200);
    openAi400(RawHttp.sendBytes(base, "POST", "/v1/chat/completions", bytes("model=echo&messages=hi",
        StandardCharsets.UTF_8), "application/x-www-form-urlencoded", "Authorization", "Bearer " + KEY),
        "not valid JSON");
    String multipart = "--b\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n" + json + "\r\n--b--\r\n";
    openAi400(RawHttp.sendBytes(base, "POST", "/v1/chat/completions", bytes(multipart, StandardCharsets.UTF_8),
        "multipart/form-data; boundary=b", "Authorization", "Bearer " + KEY), "not valid JSON");
    anthropic400(RawHttp.sendBytes(base, "POST", "/v1/messages", bytes(multipart, StandardCharsets.UTF_8),
        "multipart/form-data; boundary=b", "x-api-key", KEY), "not valid JSON");
  }

  /**
   * Heads past the connector's limits (8 KB by default on both; Tomcat also counts 100 headers) never reach the
   * webapp: the connector answers, with no stack trace or version (ContainerErrorsTest), and closes.
   */
  @ParameterizedTest
  @EnumSource(Container.class)
  void oversizeHeadsGetA431InOpenAisShape(Container c) {
    String base = server(c).baseUrl();
    RawHttp.Answer big = RawHttp.send(base, "POST", "/v1/chat/completions", CHAT + "}", "Authorization",
        "Bearer " + KEY, "X-Padding", "p".repeat(10_000));
    headTooLarge(big);
    assertThat(RawHttp.send(base, "POST", "/v1/chat/completions", CHAT + "}", "Authorization",
        "Bearer " + KEY, "X-Padding", "p".repeat(6_000)).status()).as("within the limit").isEqualTo(200);
    String[] many = IntStream.range(0, 120).boxed().flatMap(i -> java.util.stream.Stream.of("X-H" + i, "v"))
        .toArray(String[]::new);
    RawHttp.Answer count = RawHttp.sendBytes(base, "GET", "/v1/models", null, null, many);
    if (c == Container.TOMCAT) {
      headTooLarge(count); // past its 100 headers
    } else {
      assertThat(count.status()).isEqualTo(401); // Jetty counts only bytes
    }
  }

  /** The connector's own answer, before the webapp: a 431 in OpenAI's shape, and the connection closed. */
  private static void headTooLarge(RawHttp.Answer answer) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(431);
    assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    JsonNode error = json(answer).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("code").asText()).isEqualTo("request_header_too_large");
    assertThat(error.path("message").asText()).contains("headers are too large");
    assertThat(error.has("param")).isTrue();
    assertThat(error.path("param").isNull()).isTrue();
  }

  private static String repeat(String item, int n) {
    return IntStream.range(0, n).mapToObj(i -> item).collect(Collectors.joining(","));
  }

  private static byte[] bytes(String s, java.nio.charset.Charset charset) {
    return s.getBytes(charset);
  }
}
