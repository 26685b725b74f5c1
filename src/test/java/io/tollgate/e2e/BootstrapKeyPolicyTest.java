package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keys from the bootstrap file take the same policy fields as POST /admin/keys, and their user by name. */
class BootstrapKeyPolicyTest {
  private static final String ADMIN = "admin-key-for-bootstrap-policy";
  private static final String KEY = "sk-tollgate-bootstrap-policy-1";
  private static GatewayServer server;

  @BeforeAll
  static void start() throws Exception {
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: e
            type: echo
        models:
          - name: echo-a
            targets: [{provider: e}]
          - name: echo-b
            targets: [{provider: e}]
        clients:
          - name: from-file
            key: %s
            user: file-team
            models: [echo-a]
            rpm: 60
            model_limits: {echo-a: {tpm: 1000}}
            expires_at: 2999-01-01T00:00:00Z
            budget_usd: 5
            quota_period: week
        """.formatted(KEY));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static int chat(String model) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"hi\"}]}", "Authorization", bearer(KEY)).statusCode();
  }

  @Test
  void theFilesPolicyHoldsAndShowsInTheAdminApi() {
    assertThat(chat("echo-a")).isEqualTo(200);
    assertThat(chat("echo-b")).isEqualTo(403);
    JsonNode key = json(Http.get(server.baseUrl() + "/admin/keys", "Authorization", bearer(ADMIN))).at("/data/0");
    assertThat(key.path("name").asText()).isEqualTo("from-file");
    assertThat(key.path("source").asText()).isEqualTo("config");
    assertThat(key.path("rpm").asInt()).isEqualTo(60);
    assertThat(key.path("model_limits").path("echo-a").path("tpm").asInt()).isEqualTo(1000);
    assertThat(key.path("expires_at").asText()).isEqualTo("2999-01-01T00:00:00Z");
    assertThat(key.path("quota_period").asText()).isEqualTo("week");
    JsonNode user = json(Http.get(server.baseUrl() + "/admin/users/" + key.path("user_id").asLong(),
        "Authorization", bearer(ADMIN)));
    assertThat(user.path("name").asText()).isEqualTo("file-team");
  }
}
