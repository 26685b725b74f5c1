package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What /openapi.json says each call takes and answers is what the gateway takes and answers: every body sent here is
 * checked against the documented request schema, and every answer against the documented answer of its status.
 * The admin schemas refuse fields they do not name, so a field added to a view fails here until it is documented.
 */
class ApiContractTest {
  private static final String ADMIN = "admin-key-for-api-contract";
  private static final String CLIENT = "sk-tollgate-api-contract";
  private static GatewayServer server;
  private static ApiDocument doc;

  @BeforeAll
  static void start() {
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", BootstrapFiles.echoWithClient("api-contract", CLIENT),
        "TOLLGATE_ADMIN_KEY", ADMIN));
    doc = ApiDocument.fetch(server.baseUrl());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Sends the call (checking its body first) and checks the answer; {@code path} fills in the template. */
  private static HttpResponse<String> call(String method, String template, String path, String body, String key,
      int status) {
    if (body != null) {
      doc.assertRequest(method, template, body);
    }
    HttpRequest.Builder b = Http.builder(server.baseUrl() + path, "Content-Type", "application/json");
    if (key != null) {
      b.header("Authorization", bearer(key));
    }
    HttpResponse<String> r = Http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
    doc.assertAnswer(method, template, r);
    return r;
  }

  private static HttpResponse<String> admin(String method, String template, String path, String body, int status) {
    return call(method, template, path, body, ADMIN, status);
  }

  @Test
  void usersAndKeys() {
    String user = json(admin("POST", "/admin/users", "/admin/users",
        "{\"name\":\"contract-user\",\"email\":\"contract@example.com\"}", 201)).path("id").asText();
    admin("PATCH", "/admin/users/{id}", "/admin/users/" + user, "{\"disabled\":false,\"email\":null}", 200);
    admin("GET", "/admin/users", "/admin/users?limit=1", null, 200);
    admin("GET", "/admin/users/{id}", "/admin/users/" + user, null, 200);
    admin("POST", "/admin/users", "/admin/users", "{\"name\":\"contract-user\"}", 409);
    String key = json(admin("POST", "/admin/keys", "/admin/keys", "{\"name\":\"contract-key\",\"user_id\":" + user
        + ",\"models\":[\"echo*\"],\"ip_allow\":[\"127.0.0.0/8\"],\"rpm\":60,\"rph\":null,\"tpm\":10000,"
        + "\"model_limits\":{\"echo\":{\"rpm\":5}},\"expires_at\":\"2099-01-01T00:00:00Z\",\"token_quota\":100000,"
        + "\"budget_usd\":1.5,\"quota_period\":\"month\",\"cache_mode\":\"off\"}", 201)).path("id").asText();
    admin("GET", "/admin/keys", "/admin/keys", null, 200);
    admin("GET", "/admin/keys/{id}", "/admin/keys/" + key, null, 200);
    admin("PATCH", "/admin/keys/{id}", "/admin/keys/" + key, "{\"rpm\":null,\"model_limits\":null}", 200);
    admin("POST", "/admin/keys/{id}/rotate", "/admin/keys/" + key + "/rotate", "{\"grace\":\"PT1H\"}", 200);
    admin("POST", "/admin/keys/{id}/revoke", "/admin/keys/" + key + "/revoke", null, 200);
    admin("POST", "/admin/keys/{id}/enable", "/admin/keys/" + key + "/enable", null, 200);
    admin("DELETE", "/admin/keys/{id}", "/admin/keys/" + key, null, 200);
    admin("DELETE", "/admin/keys/{id}", "/admin/keys/" + key + "?purge=true", null, 200);
    admin("GET", "/admin/keys/{id}", "/admin/keys/" + key, null, 404);
    admin("DELETE", "/admin/users/{id}", "/admin/users/" + user, null, 200);
    call("GET", "/admin/keys", "/admin/keys", null, null, 401);
    call("GET", "/admin/keys", "/admin/keys", null, CLIENT, 403);
  }

  @Test
  void pricesProvidersAndModels() {
    admin("POST", "/admin/prices", "/admin/prices",
        "{\"model\":\"contract-model*\",\"input_per_mtok\":1.25,\"cached_input_per_mtok\":0.5,"
            + "\"output_per_mtok\":5}", 201);
    admin("GET", "/admin/prices", "/admin/prices", null, 200);
    admin("GET", "/admin/prices/{model}", "/admin/prices/contract-model*", null, 200);
    admin("PUT", "/admin/prices/{model}", "/admin/prices/contract-model*",
        "{\"input_per_mtok\":2,\"output_per_mtok\":6}", 200);
    admin("DELETE", "/admin/prices/{model}", "/admin/prices/contract-model*", null, 200);
    admin("POST", "/admin/providers", "/admin/providers", "{\"name\":\"contract-up\",\"type\":\"openai\","
        + "\"base_url\":\"http://127.0.0.1:9/v1\",\"api_keys\":[\"sk-contract-000000000000000001\"],"
        + "\"options\":{\"read_timeout\":30,\"headers\":{\"X-Team\":\"contract\"}}}", 201);
    admin("GET", "/admin/providers", "/admin/providers", null, 200);
    admin("GET", "/admin/providers/{name}", "/admin/providers/contract-up", null, 200);
    admin("PUT", "/admin/providers/{name}", "/admin/providers/contract-up",
        "{\"type\":\"openai\",\"base_url\":\"http://127.0.0.1:9/v2\",\"strip_sk_prefix\":true}", 200);
    admin("POST", "/admin/providers/{name}/keys/{n}/enable", "/admin/providers/contract-up/keys/0/enable", null, 200);
    admin("POST", "/admin/providers/{name}/test", "/admin/providers/contract-up/test", "{\"model\":\"up-model\"}",
        200);
    admin("POST", "/admin/providers/{name}/test", "/admin/providers/contract-up/test", null, 400);
    admin("POST", "/admin/models", "/admin/models", "{\"name\":\"contract-model\",\"targets\":[{\"provider\":"
        + "\"contract-up\",\"model\":\"up-model\",\"priority\":0,\"weight\":2},{\"provider\":\"demo\"}],"
        + "\"aliases\":[\"contract-alias\"],\"max_tokens\":100,\"supports_streaming\":true,\"supports_tools\":false}",
        201);
    admin("GET", "/admin/models", "/admin/models", null, 200);
    admin("GET", "/admin/models/{name}", "/admin/models/contract-model", null, 200);
    admin("DELETE", "/admin/providers/{name}", "/admin/providers/contract-up", null, 409);
    admin("PUT", "/admin/models/{name}", "/admin/models/contract-model",
        "{\"targets\":[{\"provider\":\"demo\",\"model\":\"echo\"}],\"max_tokens\":null}", 200);
    admin("DELETE", "/admin/models/{name}", "/admin/models/contract-model", null, 200);
    admin("DELETE", "/admin/providers/{name}", "/admin/providers/contract-up", null, 200);
    admin("GET", "/admin/audit", "/admin/audit?entity=model&limit=2", null, 200);
    admin("DELETE", "/admin/cache", "/admin/cache", null, 200);
  }

  @Test
  void clientCallsStatsAndLogs() {
    String chat = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    doc.assertRequest("POST", "/v1/chat/completions", chat);
    HttpResponse<String> answer = Http.post(server.baseUrl() + "/v1/chat/completions", chat,
        "Authorization", bearer(CLIENT), "X-Session-Id", "contract-session");
    assertThat(answer.statusCode()).isEqualTo(200);
    doc.assertAnswer("POST", "/v1/chat/completions", answer);
    call("POST", "/v1/completions", "/v1/completions", "{\"model\":\"echo\",\"prompt\":\"hi\"}", CLIENT, 200);
    call("POST", "/v1/embeddings", "/v1/embeddings", "{\"model\":\"echo\",\"input\":\"hi\"}", CLIENT, 200);
    String messages = "{\"model\":\"echo\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    call("POST", "/v1/messages", "/v1/messages", messages, CLIENT, 200);
    call("POST", "/v1/messages", "/v1/messages", messages, null, 401);
    call("POST", "/v1/messages/count_tokens", "/v1/messages/count_tokens",
        "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", CLIENT, 200);
    call("GET", "/v1/models", "/v1/models", null, CLIENT, 200);
    call("GET", "/v1/models/{id}", "/v1/models/echo", null, CLIENT, 200);
    call("GET", "/v1/models/{id}", "/v1/models/no-such-model", null, CLIENT, 404);
    call("GET", "/v1/sessions/{id}", "/v1/sessions/contract-session", null, CLIENT, 200);
    call("GET", "/context/{id}", "/context/contract-session", null, CLIENT, 200);
    call("DELETE", "/context/{id}", "/context/contract-session", null, CLIENT, 204);
    call("DELETE", "/v1/sessions/{id}", "/v1/sessions/contract-session", null, CLIENT, 404);
    call("GET", "/", "/", null, null, 200);
    call("GET", "/healthz", "/healthz", null, null, 200);
    call("GET", "/health", "/health", null, null, 200);
    String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
    awaitLogRow(requestId);
    admin("GET", "/admin/logs/{request_id}", "/admin/logs/" + requestId, null, 200);
    admin("GET", "/admin/logs", "/admin/logs?limit=2&status=2xx", null, 200);
    admin("GET", "/admin/stats", "/admin/stats", null, 200);
    admin("GET", "/admin/stats", "/admin/stats?group_by=status,model", null, 200);
    admin("GET", "/admin/stats/series", "/admin/stats/series?group_by=key", null, 200);
    admin("GET", "/admin/stats/series", "/admin/stats/series", null, 200);
    admin("GET", "/admin/stats/series", "/admin/stats/series?step=auto&from=2021-01-01T10:00:00Z"
        + "&to=2021-01-01T10:05:00Z", null, 200);
    admin("GET", "/admin/stats/series", "/admin/stats/series?step=day&group_by=model", null, 200);
    admin("GET", "/admin/stats/series", "/admin/stats/series?step=fortnight", null, 400);
    admin("GET", "/admin/stats", "/admin/stats?group_by=colour", null, 400);
  }

  /** The request log is written a moment after the response: waits (bounded) until the row can be read. */
  private static void awaitLogRow(String requestId) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Http.get(server.baseUrl() + "/admin/logs/" + requestId, "Authorization", bearer(ADMIN)).statusCode()
        != 200) {
      assertThat(System.nanoTime()).as("the log row of " + requestId).isLessThan(deadline);
      LockSupport.parkNanos(20_000_000);
    }
  }
}
