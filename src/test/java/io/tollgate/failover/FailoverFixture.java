package io.tollgate.failover;

import static io.tollgate.testing.Http.bearer;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.RequestLogRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One gateway per test, in front of fake upstreams that fail as told, so what one test does to keys and breakers
 * never reaches another. Retries wait a few milliseconds, not the default 200 ms.
 */
abstract class FailoverFixture {
  static final String CLIENT = "sk-tollgate-failover-tests";
  static final String ADMIN = "admin-key-for-failover-tests";

  final List<AutoCloseable> open = new ArrayList<>();
  GatewayServer server;
  RequestLogRows rows;

  FakeUpstream upstream() {
    FakeUpstream u = FakeUpstream.start();
    open.add(u);
    return u;
  }

  /** Starts the gateway with these providers and models (YAML list items) and settings over the defaults. */
  void start(String providers, String models, String... settings) {
    try {
      Path yaml = Files.createTempFile("tollgate-failover", ".yaml");
      Files.writeString(yaml, "providers:\n" + providers + "models:\n" + models
          + "clients: [{name: failover-tests, key: " + CLIENT + "}]\n");
      Map<String, String> s = new HashMap<>(Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN,
          "RETRY_DELAY", "5ms", "READ_TIMEOUT", "10", "CONNECT_TIMEOUT", "2"));
      for (int i = 0; i < settings.length; i += 2) {
        s.put(settings[i], settings[i + 1]);
      }
      server = GatewayServer.start(s);
      open.add(0, server);
      rows = new RequestLogRows(server.database());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @org.junit.jupiter.api.AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  HttpResponse<String> chat(String model, boolean stream, String requestId, String... headers) {
    return chat("{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}", requestId, headers);
  }

  HttpResponse<String> chat(String body, String requestId, String... headers) {
    List<String> h = new ArrayList<>(List.of("Authorization", bearer(CLIENT), "X-Request-Id", requestId));
    h.addAll(List.of(headers));
    return Http.post(server.baseUrl() + "/v1/chat/completions", body, h.toArray(String[]::new));
  }

  JsonNode admin(String method, String path) {
    HttpResponse<String> r = method.equals("GET")
        ? Http.get(server.baseUrl() + path, "Authorization", bearer(ADMIN))
        : Http.post(server.baseUrl() + path, "", "Authorization", bearer(ADMIN));
    return Http.json(r);
  }

  private final Map<FakeUpstream, Integer> taken = new java.util.IdentityHashMap<>();

  /** The bearer keys of the requests the upstream received since the last call, oldest first. */
  List<String> keysSeen(FakeUpstream upstream) {
    List<String> keys = new ArrayList<>();
    int n = upstream.requestCount();
    int from = taken.getOrDefault(upstream, 0);
    taken.put(upstream, n);
    for (int i = from; i < n; i++) {
      RecordedRequest r = upstream.takeRequest();
      keys.add(r.header("authorization") == null ? null : r.header("authorization").substring("Bearer ".length()));
    }
    return keys;
  }

  Map<String, Object> row(String requestId) {
    return rows.await(requestId, Duration.ofSeconds(10));
  }

  static JsonNode attempts(Map<String, Object> row) {
    Object log = row.get("attempt_log");
    try {
      return log == null ? null : Http.JSON.readTree(log.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
