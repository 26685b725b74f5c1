package io.tollgate.session;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The zero-setup database (H2) keeps sessions too: its migration, row lock and queries work there. */
class SessionsOnH2Test {
  private static final String KEY = "sk-tollgate-sessions-on-h2-01";

  @Test
  void twoTurnsAreKeptAndForgottenOnH2() {
    try (GatewayServer server = GatewayServer.startWithoutDatabase(Map.of("TOLLGATE_CONFIG",
        BootstrapFiles.echoWithClient("h2-sessions", KEY)))) {
      for (String text : new String[] {"one", "two"}) {
        assertThat(Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"echo\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}", "Authorization", bearer(KEY),
            "X-Session-Id", "h2:1").statusCode()).isEqualTo(200);
      }
      JsonNode stored = Http.json(Http.get(server.baseUrl() + "/context/h2:1", "Authorization", bearer(KEY)));
      assertThat(stored.path("turns").asInt()).isEqualTo(2);
      assertThat(stored.path("messages")).hasSize(4);
      assertThat(stored.at("/messages/2/content").asText()).isEqualTo("two");
      assertThat(Http.delete(server.baseUrl() + "/context/h2:1", "Authorization", bearer(KEY)).statusCode())
          .isEqualTo(204);
    }
  }
}
