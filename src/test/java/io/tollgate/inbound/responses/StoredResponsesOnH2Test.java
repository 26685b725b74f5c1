package io.tollgate.inbound.responses;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The zero-setup database (H2) keeps responses too: its migration and queries work there. */
class StoredResponsesOnH2Test {
  private static final String KEY = "sk-tollgate-responses-on-h2-01";

  @Test
  void aResponseIsStoredContinuedAndDeletedOnH2() {
    try (GatewayServer server = GatewayServer.startWithoutDatabase(Map.of("TOLLGATE_CONFIG",
        BootstrapFiles.echoWithClient("h2-responses", KEY)))) {
      HttpResponse<String> first = Http.post(server.baseUrl() + "/v1/responses", "{\"model\":\"echo\","
          + "\"input\":\"one\"}", "Authorization", bearer(KEY));
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      String id = Http.json(first).path("id").asText();
      assertThat(Http.get(server.baseUrl() + "/v1/responses/" + id, "Authorization", bearer(KEY)).statusCode())
          .isEqualTo(200);
      HttpResponse<String> next = Http.post(server.baseUrl() + "/v1/responses", "{\"model\":\"echo\","
          + "\"input\":\"two\",\"previous_response_id\":\"" + id + "\"}", "Authorization", bearer(KEY));
      assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
      assertThat(Http.delete(server.baseUrl() + "/v1/responses/" + id, "Authorization", bearer(KEY)).statusCode())
          .isEqualTo(200);
      assertThat(Http.get(server.baseUrl() + "/v1/responses/" + id, "Authorization", bearer(KEY)).statusCode())
          .isEqualTo(404);
    }
  }
}
