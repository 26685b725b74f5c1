package io.tollgate.limits;

import static io.tollgate.limits.LimitsFixture.chat;
import static io.tollgate.limits.LimitsFixture.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.KeyHashing;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.LimitedKeys;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The zero-setup run: limits on the embedded H2 database, whose SQL for the shared counters differs. */
class LimitsOnH2Test {
  @Test
  void aRequestLimitHoldsOnTheEmbeddedDatabase() throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start()) {
      Map<String, String> settings = LimitsFixture.settings(upstream, null);
      GatewayServer first = GatewayServer.startWithoutDatabase(settings);
      Path home = first.home();
      first.close(); // H2 holds its file while open: the key goes in between two starts
      String secret = "sk-limits-h2-test";
      try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home.toAbsolutePath().normalize()
          .resolve("tollgate"), "sa", "");
          PreparedStatement s = c.prepareStatement("INSERT INTO client_keys (id, name, key_hash, key_prefix,"
              + " source, created_at, limits) VALUES (990001, 'h2-limited', ?, 'sk-limi', 'admin',"
              + " CURRENT_TIMESTAMP, '{\"rph\":2,\"tpm\":100000}')")) {
        s.setString(1, KeyHashing.sha256Hex(secret));
        s.executeUpdate();
      }
      LimitedKeys.awaitWindowRoom(3600, Duration.ofSeconds(20));
      GatewayServer server = GatewayServer.startWithoutDatabase(home, settings);
      try {
        for (int i = 0; i < 2; i++) {
          HttpResponse<String> ok = post(server.baseUrl(), "/v1/chat/completions", secret, chat("gpt-test", 5));
          assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
          assertThat(ok.headers().firstValue("x-ratelimit-remaining-requests")).contains(String.valueOf(1 - i));
        }
        HttpResponse<String> refused = post(server.baseUrl(), "/v1/chat/completions", secret, chat("gpt-test", 5));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
      } finally {
        server.close();
      }
    }
  }
}
