package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.OpenApiSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** No settings at all: an H2 database under TOLLGATE_HOME, the echo model, and a generated demo key. */
class ZeroConfigTest {
  private static final String CHAT =
      "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"zero config works\"}]}";
  private static GatewayServer server;
  private static String printed;

  @BeforeAll
  static void start() {
    StdOut out = StdOut.capture(() -> GatewayServer.startWithoutDatabase(Map.of()));
    server = out.server();
    printed = out.text();
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
    assertThat(printed).contains("Authorization: Bearer " + key);
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
    assertThat(out.text()).contains("Authorization: Bearer " + before);
    HttpResponse<String> r = post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(before));
    assertThat(r.statusCode()).isEqualTo(200);
  }

  /** What a server start printed on System.out, which still reaches the real stdout too. */
  private record StdOut(GatewayServer server, String text) {
    static StdOut capture(Supplier<GatewayServer> start) {
      PrintStream original = System.out;
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      System.setOut(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
      try {
        GatewayServer started = start.get();
        return new StdOut(started, copy.toString(StandardCharsets.UTF_8));
      } finally {
        System.setOut(original);
      }
    }
  }

  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
  }
}
