package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.get;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.GatewayBootstrap;
import io.tollgate.testing.CapturedLogs;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.StdOut;
import org.slf4j.Logger;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The start-up banner as a new user meets it: a curl line that works as printed, on the real port and context path,
 * for a model that is really served, the admin console's sign-in, and no demo key at all where the settings say
 * this is a real deployment.
 */
class FirstRunTest {

  private static String demoKey(GatewayServer server) throws IOException {
    return Files.readString(server.home().resolve("demo-client-key"), StandardCharsets.UTF_8).strip();
  }

  private static String origin(GatewayServer server) {
    return "http://localhost:" + URI.create(server.baseUrl()).getPort();
  }

  @Test
  void curlLineHasTheContextPathAndPort() throws IOException {
    StdOut out = StdOut.capture(() -> GatewayServer.startWithoutDatabase("/tollgate", Map.of()));
    try (GatewayServer server = out.server()) {
      assertThat(out.text()).contains("curl " + origin(server) + "/tollgate/v1/chat/completions -H 'Authorization: "
          + "Bearer " + demoKey(server) + "'");
    }
  }

  @Test
  void quickStartSuggestsTheModelListNotEcho() throws IOException {
    try (FakeUpstream upstream = FakeUpstream.start()) {
      StdOut out = StdOut.capture(() -> GatewayServer.startWithoutDatabase(
          Map.of("UPSTREAM_BASE_URL", upstream.baseUrl(), "UPSTREAM_API_KEY", "sk-up")));
      try (GatewayServer server = out.server()) {
        String key = demoKey(server);
        assertThat(out.text()).contains("curl " + origin(server) + "/v1/models -H 'Authorization: Bearer " + key + "'")
            .doesNotContain("\"model\":\"echo\"");
        assertThat(get(server.baseUrl() + "/v1/models", "Authorization", bearer(key)).body()).contains("fake-model");
      }
    }
  }

  @Test
  void bootstrapFileSuggestsItsOwnModel() throws IOException {
    try (FakeUpstream upstream = FakeUpstream.start()) {
      Path yaml = Files.createTempFile("tollgate", ".yaml");
      Files.writeString(yaml, """
          providers:
            - name: main
              type: openai
              base_url: %s
          models:
            - name: house-model
              targets: [{provider: main, model: fake-model}]
          """.formatted(upstream.baseUrl()));
      StdOut out = StdOut.capture(() -> GatewayServer.startWithoutDatabase(Map.of("TOLLGATE_CONFIG", yaml.toString())));
      try (GatewayServer server = out.server()) {
        assertThat(out.text()).contains("\"model\":\"house-model\"").doesNotContain("\"model\":\"echo\"");
        assertThat(post(server.baseUrl() + "/v1/chat/completions",
            "{\"model\":\"house-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
            "Authorization", bearer(demoKey(server))).statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void demoAdminKeyOpensTheAdminApiAndIsNeverPrinted() throws IOException {
    Path home;
    String adminKey;
    try (CapturedLogs logs = CapturedLogs.attach(Logger.ROOT_LOGGER_NAME)) {
      StdOut out = StdOut.capture(() -> GatewayServer.startWithoutDatabase("/tollgate", Map.of()));
      try (GatewayServer server = out.server()) {
        home = server.home();
        Path file = home.resolve("demo-admin-key");
        adminKey = Files.readString(file, StandardCharsets.UTF_8).strip();
        assertThat(adminKey).hasSizeGreaterThan(40).isNotEqualTo(demoKey(server));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(out.text()).contains("Admin console: " + origin(server) + "/tollgate/console (admin key: cat "
            + file + ")").doesNotContain(adminKey);
        assertThat(logs.lines()).noneMatch(l -> l.text().contains(adminKey));
        assertThat(get(server.baseUrl() + "/admin/providers", "Authorization", bearer(adminKey)).statusCode())
            .isEqualTo(200);
        assertThat(get(server.baseUrl() + "/admin/providers", "Authorization", bearer(demoKey(server)))
            .statusCode()).as("the demo client key is no admin key").isEqualTo(403);
        assertThat(get(server.baseUrl() + "/admin/providers").statusCode()).isEqualTo(401);
      }
    }
    StdOut again = StdOut.capture(() -> GatewayServer.startWithoutDatabase(home, Map.of()));
    try (GatewayServer server = again.server()) {
      assertThat(Files.readString(home.resolve("demo-admin-key"), StandardCharsets.UTF_8).strip()).isEqualTo(adminKey);
      assertThat(again.text()).contains("Admin console: ").doesNotContain(adminKey);
      assertThat(get(server.baseUrl() + "/admin/keys", "Authorization", bearer(adminKey)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void apiKeysMeanNoDemoAdminKey() {
    StdOut out = StdOut.capture(() -> GatewayServer.startWithoutDatabase(Map.of("API_KEYS", "sk-first-run-client")));
    try (GatewayServer server = out.server()) {
      assertThat(server.home().resolve("demo-admin-key")).doesNotExist();
      assertThat(out.text()).doesNotContain("Admin console");
      assertThat(get(server.baseUrl() + "/admin/providers", "Authorization", bearer("sk-first-run-client"))
          .statusCode()).isEqualTo(403);
    }
  }

  @Test
  void adminKeyMeansNoDemoKey() {
    assertNoDemoKey(() -> GatewayServer.startWithoutDatabase(Map.of("TOLLGATE_ADMIN_KEY", "admin-first-run")));
  }

  @Test
  void configuredDatabaseMeansNoDemoKey() {
    assertNoDemoKey(() -> GatewayServer.start(Map.of()));
  }

  private static void assertNoDemoKey(Supplier<GatewayServer> start) {
    try (CapturedLogs logs = CapturedLogs.attach(GatewayBootstrap.class.getName())) {
      StdOut out = StdOut.capture(start);
      try (GatewayServer server = out.server()) {
        assertThat(server.home().resolve("demo-client-key")).doesNotExist();
        assertThat(server.home().resolve("demo-admin-key")).doesNotExist();
        assertThat(out.text()).doesNotContain("Bearer").doesNotContain("Admin console");
        assertThat(logs.lines(GatewayBootstrap.class.getName())).anyMatch(l -> l.level().equals("WARN")
            && l.message().contains("no client key exists"));
      }
    }
  }
}
