package io.tollgate.security;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.GatewayBootstrap;
import io.tollgate.testing.CapturedLogs;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.TestDatabase;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TOLLGATE_SECRET_KEY through the real webapp on PostgreSQL: providers from the bootstrap file and from the admin API
 * are stored sealed and still reach their upstream with the right key; a wrong or missing passphrase stops the start
 * with a message naming the setting; rotation and the first start over plaintext rows.
 */
class UpstreamKeysAtRestTest {
  private static final String PASSPHRASE = "correct horse battery staple, thirty-two+";
  private static final String NEXT_PASSPHRASE = "another passphrase for the rotation test!";
  private static final String FILED_KEY = "sk-filed-AT-REST-0123456789";
  private static final String MADE_KEY = "sk-made-AT-REST-9876543210";
  private static final String PROXY_PASSWORD = "proxy-AT-REST-pw";
  private static final String ADMIN = "admin-at-rest-key";
  private static final String CLIENT = "sk-client-at-rest-key";

  private FakeUpstream upstream;
  private TestDatabase db;
  private Path yaml;

  @BeforeEach
  void setUp() throws IOException {
    upstream = FakeUpstream.start();
    db = TestDatabase.create();
    yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: filed
            type: openai
            base_url: %s
            api_keys: [%s]
            options: {header.X-Proxy-Authorization: "Basic %s"}
        models:
          - name: m-filed
            targets: [{provider: filed, model: up}]
        clients:
          - name: at-rest
            key: %s
        """.formatted(upstream.baseUrl(), FILED_KEY, PROXY_PASSWORD, CLIENT));
  }

  @AfterEach
  void tearDown() {
    upstream.close();
    db.close();
  }

  private GatewayServer start(String key, String previous) {
    Map<String, String> settings = new HashMap<>(Map.of("TOLLGATE_CONFIG", yaml.toString(),
        "TOLLGATE_ADMIN_KEY", ADMIN, "RETRY_TIMES", "0"));
    if (key != null) {
      settings.put("TOLLGATE_SECRET_KEY", key);
    }
    if (previous != null) {
      settings.put("TOLLGATE_SECRET_KEY_PREVIOUS", previous);
    }
    return GatewayServer.startOn(db, settings);
  }

  /** The start fails, and the log says why in a line naming the setting. */
  private String failedStart(String key, String previous) {
    try (CapturedLogs logs = CapturedLogs.attach(GatewayBootstrap.class.getName())) {
      assertThatThrownBy(() -> start(key, previous).close()).isInstanceOf(IllegalStateException.class);
      return logs.lines().stream().filter(l -> l.message().startsWith("Tollgate could not start"))
          .map(CapturedLogs.Line::message).findFirst().orElseThrow();
    }
  }

  private List<String> rawCredentialColumns() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT api_keys, options FROM providers ORDER BY name")) {
      while (r.next()) {
        out.add(r.getString(1));
        out.add(r.getString(2));
      }
    }
    return out;
  }

  private void assertSealed() throws SQLException {
    assertThat(rawCredentialColumns()).isNotEmpty().allSatisfy(v -> assertThat(v).startsWith("enc:v1:")
        .doesNotContain(FILED_KEY).doesNotContain(MADE_KEY).doesNotContain(PROXY_PASSWORD));
  }

  /** A chat for the model reaches the upstream with the provider's key (and header) in full. */
  private FakeUpstream.RecordedRequest assertReachesUpstreamWith(GatewayServer server, String model, String key) {
    upstream.reset();
    HttpResponse<String> r = Http.post(server.baseUrl() + "/v1/chat/completions",
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "Authorization", bearer(CLIENT), "Content-Type", "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    FakeUpstream.RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.header("Authorization")).isEqualTo("Bearer " + key);
    return sent;
  }

  private static void createProvider(GatewayServer server, String baseUrl) {
    HttpResponse<String> p = Http.post(server.baseUrl() + "/admin/providers", "{\"name\":\"made\",\"type\":"
        + "\"openai\",\"base_url\":\"" + baseUrl + "\",\"api_key\":\"" + MADE_KEY + "\"}", "Authorization",
        bearer(ADMIN), "Content-Type", "application/json");
    assertThat(p.statusCode()).as(p.body()).isEqualTo(201);
    HttpResponse<String> m = Http.post(server.baseUrl() + "/admin/models", "{\"name\":\"m-made\",\"targets\":"
        + "[{\"provider\":\"made\",\"model\":\"up\"}]}", "Authorization", bearer(ADMIN), "Content-Type",
        "application/json");
    assertThat(m.statusCode()).as(m.body()).isEqualTo(201);
  }

  @Test
  void sealedFromFileAndAdminApiThenWrongOrMissingPassphraseStopsTheStartThenRotation() throws SQLException {
    try (GatewayServer server = start(PASSPHRASE, null)) {
      createProvider(server, upstream.baseUrl());
      assertSealed();
      assertThat(assertReachesUpstreamWith(server, "m-filed", FILED_KEY).header("X-Proxy-Authorization"))
          .isEqualTo("Basic " + PROXY_PASSWORD);
      assertReachesUpstreamWith(server, "m-made", MADE_KEY);
    }
    List<String> sealed = rawCredentialColumns();

    assertThat(failedStart(NEXT_PASSPHRASE, null)).contains("TOLLGATE_SECRET_KEY is not the passphrase");
    assertThat(failedStart(null, null)).contains("encrypted and TOLLGATE_SECRET_KEY is not set");
    assertThat(failedStart("too short", null)).contains("TOLLGATE_SECRET_KEY must be a passphrase of at least 32");
    assertThat(rawCredentialColumns()).as("failed starts change nothing").isEqualTo(sealed);

    try (GatewayServer server = start(NEXT_PASSPHRASE, PASSPHRASE)) {
      assertReachesUpstreamWith(server, "m-made", MADE_KEY);
    }
    assertSealed();
    assertThat(rawCredentialColumns()).as("re-sealed under the new key").doesNotContainAnyElementsOf(sealed);
    assertThat(failedStart(PASSPHRASE, null)).contains("TOLLGATE_SECRET_KEY is not the passphrase");
    try (GatewayServer server = start(NEXT_PASSPHRASE, null)) {
      assertReachesUpstreamWith(server, "m-filed", FILED_KEY);
      assertReachesUpstreamWith(server, "m-made", MADE_KEY);
    }
  }

  @Test
  void theEmbeddedH2DatabaseWorksTheSameWay() {
    Map<String, String> settings = Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN,
        "TOLLGATE_SECRET_KEY", PASSPHRASE);
    Path home;
    try (GatewayServer server = GatewayServer.startWithoutDatabase(settings)) {
      home = server.home();
      createProvider(server, upstream.baseUrl());
      assertReachesUpstreamWith(server, "m-made", MADE_KEY);
    }
    try (CapturedLogs logs = CapturedLogs.attach(GatewayBootstrap.class.getName())) {
      assertThatThrownBy(() -> GatewayServer.startWithoutDatabase(home, Map.of("TOLLGATE_CONFIG", yaml.toString(),
          "TOLLGATE_SECRET_KEY", NEXT_PASSPHRASE)).close()).isInstanceOf(IllegalStateException.class);
      assertThat(logs.lines()).anyMatch(l -> l.message().contains("TOLLGATE_SECRET_KEY is not the passphrase"));
    }
    try (GatewayServer server = GatewayServer.startWithoutDatabase(home, settings)) {
      assertReachesUpstreamWith(server, "m-filed", FILED_KEY);
      assertReachesUpstreamWith(server, "m-made", MADE_KEY);
    }
  }

  @Test
  void plaintextRowsOfAStartWithoutPassphraseAreSealedAtTheFirstStartWithOne() throws SQLException {
    try (CapturedLogs logs = CapturedLogs.attach(GatewayBootstrap.class.getName());
        GatewayServer server = start(null, null)) {
      createProvider(server, upstream.baseUrl());
      assertThat(logs.lines()).filteredOn(l -> l.message().startsWith("TOLLGATE_SECRET_KEY is not set"))
          .hasSize(1).allSatisfy(l -> assertThat(l.level()).isEqualTo("WARN"));
    }
    assertThat(String.join(" ", rawCredentialColumns())).as("as before: plaintext").contains(FILED_KEY, MADE_KEY);
    try (CapturedLogs logs = CapturedLogs.attach(GatewayBootstrap.class.getName());
        GatewayServer server = start(PASSPHRASE, null)) {
      assertSealed();
      assertThat(logs.lines()).anyMatch(l -> l.message().equals("encrypted the upstream credentials of 2"
          + " provider(s)"));
      assertReachesUpstreamWith(server, "m-filed", FILED_KEY);
      assertReachesUpstreamWith(server, "m-made", MADE_KEY);
    }
  }

}
