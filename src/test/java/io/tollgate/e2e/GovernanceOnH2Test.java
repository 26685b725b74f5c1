package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Users, key policies, rotation, prices and the audit log on the zero-setup H2 database too. */
class GovernanceOnH2Test {
  private static final String ADMIN = "admin-key-for-h2-governance";
  private static final String CHAT = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void theAdminApiWorksOnH2() {
    try (GatewayServer server = GatewayServer.startWithoutDatabase(Map.of("TOLLGATE_ADMIN_KEY", ADMIN))) {
      long user = json(send(server, "POST", "/admin/users", "{\"name\":\"h2-team\",\"email\":\"t@example.com\"}"))
          .path("id").asLong();
      HttpResponse<String> created = send(server, "POST", "/api/v1/admin/api-keys", "{\"name\":\"h2\",\"user_id\":"
          + user + ",\"models\":[\"echo\"],\"budget_usd\":1.5,\"model_limits\":{\"echo\":{\"rpm\":3}}}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      JsonNode key = json(created);
      assertThat(chat(server, key.path("key").asText())).isEqualTo(200);
      HttpResponse<String> rotated = send(server, "POST", "/admin/keys/" + key.path("id").asLong() + "/rotate",
          "{\"grace\":60}");
      assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
      assertThat(chat(server, key.path("key").asText())).as("old secret within its grace").isEqualTo(200);
      assertThat(chat(server, json(rotated).path("key").asText())).isEqualTo(200);
      assertThat(send(server, "POST", "/admin/prices", "{\"model\":\"echo\",\"input_per_mtok\":1,"
          + "\"output_per_mtok\":2}").statusCode()).isEqualTo(201);
      JsonNode audit = json(send(server, "GET", "/admin/audit", null)).path("data");
      assertThat(audit.findValuesAsText("entity")).containsExactly("price", "key", "key", "user");
    }
  }

  private static int chat(GatewayServer server, String key) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(key)).statusCode();
  }

  private static HttpResponse<String> send(GatewayServer server, String method, String path, String body) {
    return Http.send(Http.builder(server.baseUrl() + path, "Authorization", bearer(ADMIN), "Content-Type",
        "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body)).build());
  }
}
