package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.get;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.ContainerProcess;
import io.tollgate.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What every run on a real container distribution checks: the model list (also with the key in the query string),
 * a chat, a streamed chat, an admin call whose new key then works, that both keys are rows of the database the run
 * gave it, the admin console's files; then, stopped with SIGTERM, a log without errors and a container access log with paths but no keys.
 */
final class ContainerSmoke {
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final String KEY = "sk-tollgate-container-smoke";
  private static final String ADMIN = "admin-secret-for-the-container-smoke";
  private static final String CHAT =
      "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"from a real container\"}]}";
  // Tomcat's JUL levels, logback's and Jetty's; and any stack trace.
  private static final Pattern TROUBLE = Pattern.compile("\\b(SEVERE|ERROR)\\b|Exception|^\\s+at ");

  private final ContainerProcess container;
  private final TestDatabase db;
  private final List<String> secrets = new ArrayList<>(List.of(KEY, ADMIN));

  ContainerSmoke(ContainerProcess container, TestDatabase db) {
    this.container = container;
    this.db = db;
  }

  /** The bootstrap file (the echo model, one client key), the admin key and a home under {@code base}. */
  static Map<String, String> settings(Path base) {
    Map<String, String> settings = new HashMap<>();
    settings.put("TOLLGATE_CONFIG", BootstrapFiles.echoWithClient("smoke", KEY));
    settings.put("TOLLGATE_ADMIN_KEY", ADMIN);
    settings.put("TOLLGATE_HOME", base.toAbsolutePath().resolve("data").toString());
    return settings;
  }

  static Map<String, String> withDatabaseUrl(Map<String, String> settings, TestDatabase db) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("TOLLGATE_DB_URL", db.jdbcUrl());
    all.put("TOLLGATE_DB_USER", db.user());
    all.put("TOLLGATE_DB_PASSWORD", db.password() == null ? "" : db.password());
    return all;
  }

  /** The smoke calls; a failure carries the end of the container's log. */
  ContainerSmoke run() {
    try {
      calls(container.baseUrl());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nthe end of the container's log:\n" + container.logTail(), e);
    }
    return this;
  }

  /**
   * Stops it with SIGTERM: it must end by itself, nothing from deployment to stop may be an error, no file in
   * {@code logs} may hold a key, and the container's access log ({@code accessLog}) has the request by path only.
   */
  void stopCleanly(Path logs, String accessLog) {
    assertThat(container.stop()).as("stopped within the bound after SIGTERM; log:\n%s", container.logTail()).isTrue();
    List<String> trouble = container.log().lines().filter(line -> TROUBLE.matcher(line).find()).toList();
    assertThat(trouble).as("errors in the container's log:\n%s", container.log()).isEmpty();
    StringBuilder access = new StringBuilder();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(logs)) {
      for (Path file : files) {
        String text = Files.readString(file);
        assertThat(text).as(file.toString()).doesNotContain(secrets);
        if (file.getFileName().toString().matches(accessLog)) {
          access.append(text);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(access).as("the container's access log, %s in %s", accessLog, logs)
        .contains("\"GET /v1/models HTTP/1.1\" 200", "\"POST /v1/chat/completions HTTP/1.1\" 200");
  }

  /** The console's page and files, found in the WAR as this container lays it out, uPlot's WebJar included. */
  private static void console(String url) {
    HttpResponse<String> page = get(url + "/console/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        policy -> assertThat(policy).contains("script-src 'self'"));
    for (String file : List.of("/console/js/main.js", "/console/js/views/keys.js", "/console/vendor/uPlot.iife.min.js")) {
      HttpResponse<String> served = get(url + file);
      assertThat(served.statusCode()).as(file).isEqualTo(200);
      assertThat(served.headers().firstValue("Content-Type")).as(file).hasValueSatisfying(
          type -> assertThat(type).startsWith("text/javascript"));
    }
  }

  private void calls(String url) {
    HttpResponse<String> models = get(url + "/v1/models", "Authorization", bearer(KEY));
    assertThat(models.statusCode()).as(models.body()).isEqualTo(200);
    assertThat(json(models).findValuesAsText("id")).contains("echo");
    assertThat(models.headers().firstValue("server")).as("a Server header").isEmpty();
    assertThat(get(url + "/v1/models").statusCode()).isEqualTo(401);
    assertThat(get(url + "/v1/models?api_key=" + KEY).statusCode()).isEqualTo(200);

    HttpResponse<String> chat = post(url + "/v1/chat/completions", CHAT, "Authorization", bearer(KEY));
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    assertThat(json(chat).at("/choices/0/message/content").asText()).isEqualTo("from a real container");

    String streamed = CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");
    StreamedChat stream = StreamedChat.post(url + "/v1/chat/completions", streamed, "Authorization", bearer(KEY));
    assertThat(stream.text()).isEqualTo("from a real container");

    HttpResponse<String> created = post(url + "/admin/keys", "{\"name\":\"made-in-a-container\"}",
        "Authorization", bearer(ADMIN));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String madeKey = json(created).path("key").asText();
    secrets.add(madeKey);
    assertThat(post(url + "/v1/chat/completions", CHAT, "Authorization", bearer(madeKey)).statusCode())
        .isEqualTo(200);
    HttpResponse<String> listed = get(url + "/admin/keys", "Authorization", bearer(ADMIN));
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(json(listed).findValuesAsText("name")).contains("smoke", "made-in-a-container");

    assertThat(keyRows()).as("client_keys rows in the run's own database").isEqualTo(2);
    console(url);
  }

  private int keyRows() {
    try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
        "SELECT count(*) FROM client_keys WHERE name IN ('smoke', 'made-in-a-container')");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new AssertionError("cannot read " + db.name(), e);
    }
  }
}
