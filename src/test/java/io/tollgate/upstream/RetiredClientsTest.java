package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.GatewayConfig.UpstreamConfig;
import io.tollgate.config.ProviderOptions;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A provider's own connection client is let go once no provider uses its settings, without cutting a call short. */
class RetiredClientsTest {
  @Test
  void settingsNoLongerUsedLoseTheirClientAfterTheCallsInFlight() throws Exception {
    try (FakeUpstream up = FakeUpstream.start();
        UpstreamClient client = new UpstreamClient(new UpstreamConfig(Duration.ofSeconds(2), Duration.ofSeconds(15),
            16))) {
      UpstreamLink edited = ProviderOptions.link("p", Map.of("connect_timeout", "3s"));
      UpstreamLink plain = ProviderOptions.link("q", Map.of());
      URI uri = URI.create(up.baseUrl() + "/models");
      assertThat(client.send(client.get(edited, uri, Map.of())).get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(client.ownClients()).isEqualTo(1);

      // Longer than a retired client's first look, so stopping it then would cut this call.
      Duration slow = HttpClients.RETIRE_CHECK.plusSeconds(1);
      up.enqueue(FakeResponse.json(200, "{\"object\":\"list\",\"data\":[]}").withHeadersDelay(slow));
      CompletableFuture<UpstreamResponse> inFlight = client.send(client.get(edited, uri, Map.of()));
      Thread.sleep(200);
      client.retain(List.of(plain));
      assertThat(client.ownClients()).isZero();
      assertThat(inFlight.get(15, TimeUnit.SECONDS).status()).as("a retired client finishes its calls").isEqualTo(200);

      // The settings come back (the admin edited the provider back): a new client serves them.
      assertThat(client.send(client.get(edited, uri, Map.of())).get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(client.ownClients()).isEqualTo(1);
      assertThat(client.send(client.get(plain, uri, Map.of())).get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(client.ownClients()).as("the default settings share the one client").isEqualTo(1);
    }
  }
}
