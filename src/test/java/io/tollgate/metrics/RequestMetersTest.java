package io.tollgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.usage.UsageEvent;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Label values stay bounded whatever names clients send, and only API requests are counted. */
class RequestMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RequestMeters meters = new RequestMeters(registry);

  @Test
  void aRoutedRequestCountsItsRequestLatencyFirstByteAndTokens() {
    meters.accept(event("/v1/chat/completions", "gpt-x", "main", 200, 7, 3));
    meters.accept(event("/api/v1/messages", "gpt-x", "main", 200, 5, null));

    assertThat(registry.get("tollgate.requests").tags("model", "gpt-x", "provider", "main", "dialect", "openai",
        "status", "200", "stream", "false").counter().count()).isEqualTo(1);
    assertThat(registry.get("tollgate.requests").tags("dialect", "anthropic").counter().count()).isEqualTo(1);
    assertThat(registry.get("tollgate.tokens").tags("model", "gpt-x", "direction", "input").counter().count())
        .isEqualTo(12);
    assertThat(registry.get("tollgate.tokens").tags("model", "gpt-x", "direction", "output").counter().count())
        .isEqualTo(3);
    assertThat(registry.get("tollgate.request.duration").tags("model", "gpt-x").timer().count()).isEqualTo(2);
    assertThat(registry.get("tollgate.request.first_byte").tags("model", "gpt-x").timer().count()).isEqualTo(2);
  }

  @Test
  void aNameRoutingRefusedIsUnknownAndOnlyApiPathsAreCounted() {
    meters.accept(event("/v1/chat/completions", "made-up-by-a-client", null, 404, null, null));
    meters.accept(event("/v1/messages", "made-up-too", null, 429, null, null));
    meters.accept(event("/healthz", null, null, 200, null, null));
    meters.accept(event("/admin/keys", null, null, 401, null, null));
    meters.accept(event("/v1/chat/completions/extra", "gpt-x", "main", 404, null, null));

    assertThat(registry.get("tollgate.requests").counters()).hasSize(2);
    assertThat(registry.get("tollgate.requests").tags("model", "unknown", "provider", "none", "status", "404")
        .counter().count()).isEqualTo(1);
    assertThat(labelValues("model")).containsOnly("unknown");
  }

  @Test
  void aSuccessNoProviderAnsweredKeepsItsModel() {
    meters.accept(event("/v1/messages/count_tokens", "claude-x", null, 200, null, null));
    assertThat(registry.get("tollgate.requests").tags("model", "claude-x", "provider", "none", "dialect",
        "anthropic").counter().count()).isEqualTo(1);
  }

  @Test
  void pastTheLimitFurtherModelNamesShareOneLabel() {
    for (int i = 0; i < RequestMeters.MAX_MODELS + 20; i++) {
      meters.accept(event("/v1/chat/completions", "pattern-model-" + i, "wild", 200, 1, 1));
    }
    meters.accept(event("/v1/chat/completions", "pattern-model-0", "wild", 200, 1, 1));

    Set<String> models = labelValues("model");
    assertThat(models).hasSize(RequestMeters.MAX_MODELS + 1).contains("other", "pattern-model-0")
        .doesNotContain("pattern-model-" + RequestMeters.MAX_MODELS);
    assertThat(registry.get("tollgate.requests").tags("model", "other").counter().count()).isEqualTo(20);
    assertThat(registry.get("tollgate.requests").tags("model", "pattern-model-0").counter().count()).isEqualTo(2);
  }

  private Set<String> labelValues(String tag) {
    return registry.get("tollgate.requests").counters().stream().map(Meter::getId).map(id -> id.getTag(tag))
        .collect(Collectors.toSet());
  }

  private static UsageEvent event(String path, String model, String provider, int status, Integer in,
      Integer out) {
    return new UsageEvent(Instant.now(), "req", null, null, "POST", path, model, provider,
        provider == null ? null : "up-" + model, false, status, 120, provider == null ? null : 40L, in, out, null);
  }
}
