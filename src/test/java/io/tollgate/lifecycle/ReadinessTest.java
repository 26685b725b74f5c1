package io.tollgate.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /health is readiness: 503 while the database does not answer, 200 again once it does, each answer within a few
 * seconds however the database fails; /healthz, liveness, stays 200 throughout.
 */
class ReadinessTest {
  private TestDatabase db;
  private GatewayServer server;

  @BeforeEach
  void start() {
    db = TestDatabase.create();
    server = GatewayServer.startOn(db, Map.of());
  }

  @AfterEach
  void stop() throws SQLException {
    try {
      allowConnections(true);
    } finally {
      server.close();
      db.close();
    }
  }

  @Test
  void readyWithTheDatabaseUnreadyWithoutAndReadyAgain() throws Exception {
    HttpResponse<String> ready = Http.get(server.baseUrl() + "/health");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(Http.json(ready).path("status").asText()).isEqualTo("ok");
    assertThat(Http.json(ready).at("/database/status").asText()).isEqualTo("up");
    assertThat(Http.json(ready).has("providers")).isTrue();

    allowConnections(false);
    HttpResponse<String> down = awaitHealth(r -> r.statusCode() == 503);
    JsonNode body = Http.json(down);
    assertThat(body.path("status").asText()).isEqualTo("unavailable");
    assertThat(body.at("/database/status").asText()).isEqualTo("down");
    assertThat(body.at("/database/error").asText()).doesNotContain(db.name()).doesNotContain("postgres");
    long start = System.nanoTime();
    assertThat(Http.get(server.baseUrl() + "/health").statusCode()).isEqualTo(503);
    assertThat((System.nanoTime() - start) / 1_000_000).as("a probe is bounded").isLessThan(5_000);
    assertThat(Http.get(server.baseUrl() + "/healthz").statusCode()).as("liveness").isEqualTo(200);

    allowConnections(true);
    assertThat(Http.json(awaitHealth(r -> r.statusCode() == 200)).at("/database/status").asText()).isEqualTo("up");
  }

  private HttpResponse<String> awaitHealth(Predicate<HttpResponse<String>> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + 40_000_000_000L;
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = Http.get(server.baseUrl() + "/health");
      if (wanted.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("/health never answered as wanted; last: " + last.statusCode() + " " + last.body());
  }

  /** Refuses new connections to the gateway's database and ends the open ones, as a database restart would. */
  private void allowConnections(boolean allow) throws SQLException {
    try (Connection c = TestDatabase.shared().connect(); Statement s = c.createStatement()) {
      s.execute("alter database " + db.name() + " allow_connections " + allow);
      if (!allow) {
        s.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + db.name() + "'");
      }
    }
  }
}
