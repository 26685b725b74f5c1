package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.OpenApiSchemas;
import io.tollgate.testing.StdOut;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** No settings at all: an H2 database under TOLLGATE_HOME, the echo model, and a generated demo key. */
class ZeroConfigTest {
  private static final String CHAT =
      "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"zero config works\"}]}";
  private static GatewayServer server;
  private static String printed;
  private static int printedPort;

  @BeforeAll
  static void start() {
    StdOut out = StdOut.capture(() -> GatewayServer.startWithoutDatabase(Map.of()));
    server = out.server();
    printed = out.text();
    printedPort = URI.create(server.baseUrl()).getPort();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String demoKey() throws IOException {
    return Files.readString(server.home().resolve("demo-client-key"), StandardCharsets.UTF_8).strip();
  }

  @Test
  void demoKeyIsSavedUnderHomeAndPrinted() throws IOException {
    String key = demoKey();
    assertThat(key).startsWith("sk-");
    assertThat(printed).contains("Authorization: Bearer " + key).contains("generated");
  }

  @Test
  void printedCurlLineHasTheRealPort() {
    assertThat(printed).contains("curl http://localhost:" + printedPort + "/v1/chat/completions ")
        .contains("\"model\":\"echo\"");
  }

  @Test
  void demoKeyChatsWithTheEchoModel() throws IOException {
    HttpResponse<String> r = post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(demoKey()));
    assertThat(r.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
    assertThat(json(r).at("/choices/0/message/content").asText()).isEqualTo("zero config works");
  }

  @Test
  void demoKeyStreamsAnEcho() throws IOException {
    StreamedChat out = StreamedChat.post(server.baseUrl() + "/v1/chat/completions",
        CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""), "Authorization", bearer(demoKey()));
    assertThat(out.text()).isEqualTo("zero config works");
  }

  @Test
  void requestsWithoutTheKeyAreRefused() {
    HttpResponse<String> r = post(server.baseUrl() + "/v1/chat/completions", CHAT);
    assertThat(r.statusCode()).isEqualTo(401);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer("sk-guess"))
        .statusCode()).isEqualTo(401);
  }

  @Test
  void theDatabaseIsAnH2FileUnderHome() {
    assertThat(server.home().resolve("tollgate.mv.db")).isRegularFile();
  }

  @Test
  void demoKeyIsKeptAcrossRestarts() throws IOException {
    String before = demoKey();
    Path home = server.home();
    server.close();
    StdOut out = StdOut.capture(() -> GatewayServer.startWithoutDatabase(home, Map.of()));
    server = out.server();
    assertThat(demoKey()).isEqualTo(before);
    assertThat(out.text()).contains("Authorization: Bearer " + before).contains("kept").doesNotContain("generated");
    HttpResponse<String> r = post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(before));
    assertThat(r.statusCode()).isEqualTo(200);
  }
}
