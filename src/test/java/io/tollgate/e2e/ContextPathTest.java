package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.get;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.OpenApiSchemas;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WAR deployed under /tollgate rather than at the root, as a shared servlet container would host it. */
class ContextPathTest {
  private static final String KEY = "sk-tollgate-context-path";
  private static final String ADMIN = "admin-key-context-path";
  private static final String CHAT =
      "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"under a path\"}]}";
  private static GatewayServer server;
  private static String origin;

  @BeforeAll
  static void start() throws Exception {
    String yaml = BootstrapFiles.echoWithClient("ci", KEY);
    server = GatewayServer.start("/tollgate", Map.of("TOLLGATE_CONFIG", yaml, "TOLLGATE_ADMIN_KEY", ADMIN));
    assertThat(server.baseUrl()).endsWith("/tollgate");
    origin = server.baseUrl().substring(0, server.baseUrl().length() - "/tollgate".length());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void chatAnswersWithAndWithoutV1() {
    for (String path : new String[] {"/tollgate/v1/chat/completions", "/tollgate/chat/completions"}) {
      HttpResponse<String> r = post(origin + path, CHAT, "Authorization", bearer(KEY));
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
      assertThat(json(r).at("/choices/0/message/content").asText()).isEqualTo("under a path");
    }
    assertThat(post(origin + "/tollgate/v1/chat/completions", CHAT).statusCode()).isEqualTo(401);
  }

  @Test
  void streamedChatAnswers() {
    StreamedChat out = StreamedChat.post(origin + "/tollgate/v1/chat/completions",
        CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""), "Authorization", bearer(KEY));
    assertThat(out.text()).isEqualTo("under a path");
  }

  @Test
  void modelsHealthAndRootAnswer() {
    HttpResponse<String> models = get(origin + "/tollgate/v1/models", "Authorization", bearer(KEY));
    assertThat(models.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("ListModelsResponse", models.body());
    assertThat(json(models).at("/data/0/id").asText()).isEqualTo("echo");
    assertThat(get(origin + "/tollgate/v1/models/echo", "Authorization", bearer(KEY)).statusCode()).isEqualTo(200);
    HttpResponse<String> health = get(origin + "/tollgate/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).path("status").asText()).isEqualTo("ok");
    assertThat(json(get(origin + "/tollgate/")).path("name").asText()).isEqualTo("Tollgate");
  }

  @Test
  void adminNeedsTheAdminKey() {
    String keys = origin + "/tollgate/admin/keys";
    assertThat(get(keys).statusCode()).isEqualTo(401);
    assertThat(get(keys, "Authorization", bearer(KEY)).statusCode()).isEqualTo(403);
    HttpResponse<String> created = post(keys, "{\"name\":\"under-path\"}", "Authorization", bearer(ADMIN));
    assertThat(created.statusCode()).isEqualTo(201);
    String plaintext = json(created).path("key").asText();
    assertThat(post(origin + "/tollgate/v1/chat/completions", CHAT, "Authorization", bearer(plaintext)).statusCode())
        .isEqualTo(200);
    HttpResponse<String> listed = get(keys, "Authorization", bearer(ADMIN));
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains("under-path");
    HttpResponse<String> aliased = get(origin + "/tollgate/api/v1/admin/api-keys", "Authorization", bearer(ADMIN));
    assertThat(aliased.statusCode()).isEqualTo(200);
    assertThat(aliased.body()).contains("under-path");
  }

  /** The document names the context path as its server, and the page finds its files and the document under it. */
  @Test
  void apiDocsUnderTheContextPath() {
    HttpResponse<String> doc = get(origin + "/tollgate/openapi.json");
    assertThat(doc.statusCode()).isEqualTo(200);
    assertThat(json(doc).at("/servers/0/url").asText()).isEqualTo(origin + "/tollgate");
    HttpResponse<String> page = get(origin + "/tollgate/docs");
    assertThat(page.statusCode()).isEqualTo(200);
    URI base = URI.create(origin + "/tollgate/docs");
    Matcher m = Pattern.compile("(?:src|href|data-url)=\"([^\"]+)\"").matcher(page.body());
    int files = 0;
    while (m.find()) {
      String url = base.resolve(m.group(1)).toString();
      assertThat(url).startsWith(origin + "/tollgate/");
      assertThat(get(url).statusCode()).as(url).isEqualTo(200);
      files++;
    }
    assertThat(files).isGreaterThanOrEqualTo(5);
    assertThat(page.body()).contains("data-url=\"openapi.json\"");
    assertThat(get(origin + "/openapi.json").statusCode()).isEqualTo(404);
  }

  @Test
  void nothingIsServedOutsideTheContextPath() {
    assertThat(post(origin + "/v1/chat/completions", CHAT, "Authorization", bearer(KEY)).statusCode())
        .isEqualTo(404);
  }
}
