package io.tollgate.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.Secret;
import io.tollgate.routing.Provider;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyPoolsTest {
  private static Provider provider(String... keys) {
    return new Provider("p", "openai", "http://127.0.0.1:1/v1", List.of(keys).stream().map(Secret::of).toList(),
        false, false);
  }

  @Test
  void anEditedProviderKeepsWhatWasLearntOfItsKeysAndCallsInFlightReportToTheNewPool() {
    KeyPools pools = new KeyPools(Duration.ofSeconds(30), Duration.ofMinutes(10));
    pools.sync(List.of(provider("sk-a", "sk-b")));
    KeyLease inFlight = pools.pool(provider("sk-a", "sk-b")).lease(null, Set.of());
    assertThat(inFlight.index()).isZero();
    KeyLease refused = pools.pool(provider("sk-a", "sk-b")).lease(null, Set.of());
    refused.release(KeyLease.Outcome.REJECTED, "HTTP 401", 0);

    // The admin adds a key in front: both old keys move, and keep their state.
    pools.sync(List.of(provider("sk-new", "sk-a", "sk-b")));
    List<KeyPools.KeyView> keys = pools.keys("p");
    assertThat(keys).extracting(KeyPools.KeyView::state).containsExactly("active", "active", "disabled");
    assertThat(keys.get(1).inFlight()).isEqualTo(1);
    inFlight.release(KeyLease.Outcome.RATE_LIMITED, "HTTP 429", Duration.ofSeconds(5).toNanos());
    keys = pools.keys("p");
    assertThat(keys.get(1).inFlight()).isZero();
    assertThat(keys.get(1).state()).isEqualTo("cooling");
    assertThat(pools.summary("p").path("disabled").asInt()).isEqualTo(1);

    // A removed key is gone; enabling works by the new positions.
    pools.sync(List.of(provider("sk-b")));
    assertThat(pools.keys("p")).extracting(KeyPools.KeyView::state).containsExactly("disabled");
    assertThat(pools.enable("p", 0)).isTrue();
    assertThat(pools.enable("p", 1)).isFalse();
    assertThat(pools.keys("p").get(0).state()).isEqualTo("active");
    assertThat(pools.anyUsable(provider("sk-b"))).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo("sk-b"));
  }
}
